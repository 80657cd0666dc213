/**
 * The engine worker: the engine runs here, on models from the model store (Cache Storage, so they
 * work offline): on our WebGPU runtime with a hardware adapter, else on wllama (llama.cpp in
 * WebAssembly, docs/wllama.md), else on our CPU runtime. It serves the HTTP API on the ports the
 * service worker asks for (see connect.ts). WebLLM's prebuilt models are served next to them
 * (models/webllm-catalog.ts). GGUF models (models/catalog.ts) come first, through a ggufCatalog:
 * they always run on wllama.
 */
import { createHandler } from '@cinder/handler';
import { serveHttpPort } from '@cinder/host-sw';
import {
  autoRuntime,
  combineCatalogs,
  createModelHost,
  exposeEngine,
  ggufCatalog,
  ggufFileOf,
  type ModelCatalog,
} from '@cinder/host-worker';
import { createModelStore } from '@cinder/model-store';
import { wllamaRuntime } from '@cinder/runtime-wllama';
import wllamaWasm from '@wllama/wllama/esm/wasm/wllama.wasm?url'; // aliased in vite.config.ts
import { loadSettings } from '../chat/settings.ts';
import { ggufCatalogModels } from '../models/catalog.ts';
import { withHubToken } from '../models/hub-token.ts';
import { demoCatalog } from '../models/webllm-catalog.ts';
import type { RuntimeInfo } from './connect.ts';

const runtime = autoRuntime({
  wllama: wllamaRuntime({ wasmUrl: new URL(wllamaWasm, self.location.href).href, ggufFile: ggufFileOf }),
});
// Downloads started here (a request for a model not stored yet) send the Hub token as the page's do.
const hubFetch = withHubToken(async () => (await loadSettings()).hubToken);
// The GGUF models are known once /local-models.json is read (or its last copy, offline).
const catalog: Promise<ModelCatalog> = ggufCatalogModels().then((gguf) =>
  combineCatalogs(ggufCatalog(gguf, { fetch: hubFetch }), demoCatalog(createModelStore({ fetch: hubFetch }))),
);
const lazyCatalog: ModelCatalog = {
  list: async () => (await catalog).list(),
  entry: async (id) => (await catalog).entry(id),
  delete: async (id) => (await catalog).delete?.(id),
  storageUsed: async () => (await catalog).storageUsed?.() ?? 0,
};
const engine = createModelHost({ runtime, catalog: lazyCatalog });
const handler = createHandler({ engine });
exposeEngine(engine, { serveHttp: (port) => serveHttpPort(port, handler) });

// Which runtime was chosen, and why: asked once by the page, answered on the port it sends.
self.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { type?: string } | null;
  if (data?.type !== 'demo:runtime' || !event.ports[0]) return;
  const reply = event.ports[0];
  void runtime.choice().then((choice) => {
    const info: RuntimeInfo = { backend: choice.runtime.backend, reason: choice.reason };
    reply.postMessage(info);
  });
});
