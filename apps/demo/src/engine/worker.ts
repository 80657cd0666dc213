/**
 * The engine worker: the engine runs here, on models from the model store (Cache Storage, so they
 * work offline), on the WebGPU runtime when there is one and the CPU runtime otherwise. It serves the
 * HTTP API on the ports the service worker asks for (see connect.ts).
 */
import { createHandler } from '@cinder/handler';
import { serveHttpPort } from '@cinder/host-sw';
import { autoRuntime, createModelHost, exposeEngine, storeCatalog } from '@cinder/host-worker';
import { createModelStore } from '@cinder/model-store';
import type { RuntimeInfo } from './connect.ts';

const runtime = autoRuntime();
const engine = createModelHost({ runtime, catalog: storeCatalog(createModelStore()) });
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
