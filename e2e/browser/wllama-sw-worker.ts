/**
 * The engine worker of the wllama test site (wllama-sw-site.ts): autoRuntime with wllama, so without
 * WebGPU the models run on llama.cpp in WebAssembly. Each model of `/wllama-models.json` is served
 * twice: `<name>` (safetensors, converted to GGUF on the fly for wllama) and `<name>-gguf` (a GGUF-only
 * repo, downloaded by the model store through ggufCatalog). Models the page downloaded into the model
 * store are served too (storeCatalog: their GGUF conversion is kept in the store). Test hooks,
 * outside the product API:
 *
 *   test:runtime        which runtime autoRuntime chose, and why
 *   test:bench-direct   { bench: undefined }    a stream called directly on the engine, timed
 *                       { bench: 'wllama-own' } the same GGUF on wllama's own createCompletion (benchWllama)
 *                       { bench: 'runtime' }    prefill and decode tokens/s of a runtime's step()
 */

import type { KvSequence } from '@cinder/engine';
import { GREEDY_DEVICE_SAMPLING } from '@cinder/engine';
import { createHandler } from '@cinder/handler';
import type { ChatCompletionChunk } from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { benchWllama, loadWllama, wllamaRuntime } from '@cinder/runtime-wllama';
import { serveHttpPort } from '../../packages/host-sw/src/index.ts';
// By file, not the package index: the index also pulls in WebLLM, which this page does not need.
import { autoRuntime } from '../../packages/host-worker/src/choose-runtime.ts';
import { exposeEngine } from '../../packages/host-worker/src/expose-engine.ts';
import { ggufCatalog } from '../../packages/host-worker/src/gguf-catalog.ts';
import { ggufFileOf, ggufOnlySource } from '../../packages/host-worker/src/gguf-source.ts';
import {
  combineCatalogs,
  hubModelUrl,
  type ModelCatalog,
  storeCatalog,
  urlCatalog,
} from '../../packages/host-worker/src/model-catalog.ts';
import { createModelHost } from '../../packages/host-worker/src/model-host.ts';
import { urlModelSource } from '../../packages/model-format/src/index.ts';
import { createModelStore } from '../../packages/model-store/src/index.ts';
import { type BenchRun, tokenTimes } from '../browser-app/bench-timing.ts';

/** As wllama-sw-site.ts writes it (not imported: that module is Node's). */
const GGUF_FILE = 'model-q8_0.gguf';
const origin = self.location.origin;
const WASM_URL = `${origin}/wllama.wasm`;

const wllama = wllamaRuntime({ wasmUrl: WASM_URL, ggufFile: ggufFileOf });

const auto = autoRuntime({ wllama });
const repo = (name: string) => hubModelUrl(`cinder-fixtures/${name}`, origin);

const names: Promise<string[]> = fetch('/wllama-models.json').then((response) => response.json());
const catalog: Promise<ModelCatalog> = names.then((list) =>
  combineCatalogs(
    storeCatalog(createModelStore({ hubBase: origin })),
    ggufCatalog(
      Object.fromEntries(
        list.map((name) => [`${name}-gguf`, { repo: `cinder-fixtures/${name}-gguf`, file: GGUF_FILE }]),
      ),
      { hubBase: origin },
    ),
    urlCatalog(Object.fromEntries(list.map((name) => [name, repo(name)]))),
  ),
);
const lazyCatalog: ModelCatalog = {
  list: async () => (await catalog).list(),
  entry: async (id) => (await catalog).entry(id),
  delete: async (id) => (await catalog).delete?.(id),
};

const engine = createModelHost({ runtime: auto, catalog: lazyCatalog });
exposeEngine(engine, { serveHttp: (port) => serveHttpPort(port, createHandler({ engine })) });

/** A stream called directly on the engine, in this worker (the baseline of the endpoint). */
async function benchEngine(params: Record<string, unknown>): Promise<BenchRun> {
  const started = performance.now();
  const stream = (await engine.chat.completions.create({
    ...params,
    stream: true,
  })) as AsyncIterable<ChatCompletionChunk>;
  const stamps: number[] = [];
  for await (const chunk of stream) {
    const now = performance.now();
    for (const _ of chunk.choices[0]?.token_ids ?? []) stamps.push(now);
  }
  return tokenTimes(started, stamps);
}

/**
 * wllama's own createCompletion on the model's GGUF, decoding `tokens` in one request after the
 * prompt is cached (runtime-wllama's benchWllama): the ceiling our endpoint is measured against.
 */
async function benchWllamaOwn(params: { name: string; tokens: number; salt: number }) {
  const source = ggufOnlySource(
    urlModelSource(`${params.name}-gguf`, repo(`${params.name}-gguf`)),
    GGUF_FILE,
  );
  const runtime = await loadWllama(
    source,
    { wasmUrl: WASM_URL, ggufFile: ggufFileOf },
    { contextLength: 1024 },
  );
  try {
    const result = await benchWllama(runtime, {
      promptTokens: 24,
      decodeTokens: params.tokens,
      salt: params.salt,
    });
    return {
      ...result,
      threads: crossOriginIsolated ? Math.max(1, Math.floor(navigator.hardwareConcurrency / 2)) : 1,
    };
  } finally {
    await runtime.dispose();
  }
}

const GREEDY = GREEDY_DEVICE_SAMPLING;

/**
 * Prefill and decode tokens/s of one runtime's step(), as the engine drives it (device draws where
 * the runtime has them): wllama on the model's GGUF, our CPU runtime on its safetensors.
 */
async function benchRuntime(params: {
  name: string;
  runtime: 'wllama' | 'cpu';
  prefill: number;
  decode: number;
}): Promise<{ prefill: number; decode: number; backend: string; dtype: string; weightBytes: number }> {
  const source =
    params.runtime === 'wllama'
      ? ggufOnlySource(urlModelSource(`${params.name}-gguf`, repo(`${params.name}-gguf`)), GGUF_FILE)
      : urlModelSource(params.name, repo(params.name));
  const factory = params.runtime === 'wllama' ? wllama : cpuRuntime;
  const runtime = await factory.load(source, { contextLength: 1024 });
  try {
    const vocab = Math.min(runtime.model.vocabSize, 1000);
    const prompt = Array.from({ length: params.prefill }, (_, i) => (i * 7919 + 11) % vocab);
    const step = (sequence: KvSequence, tokens: number[]) =>
      runtime.step([
        runtime.deviceSampling
          ? { sequence, tokens, logits: 'none', sample: GREEDY }
          : { sequence, tokens, logits: 'last' },
      ]);
    const warm = runtime.createSequence();
    await step(warm, prompt.slice(0, 8));
    runtime.release(warm);
    const sequence = runtime.createSequence();
    let start = performance.now();
    let [out] = await step(sequence, prompt);
    const prefill = params.prefill / ((performance.now() - start) / 1000);
    start = performance.now();
    // As the engine decodes: each step feeds the token drawn by the one before (logits-only
    // runtimes: any token).
    for (let i = 0; i < params.decode; i++)
      [out] = await step(sequence, [out.sampled?.token ?? prompt[i % prompt.length]]);
    const decode = params.decode / ((performance.now() - start) / 1000);
    const { dtype, weightBytes } = runtime.model;
    return { prefill, decode, backend: runtime.backend, dtype, weightBytes };
  } finally {
    await runtime.dispose();
  }
}

self.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { type?: string; params?: Record<string, unknown> } | null;
  const reply = event.ports[0];
  if (data?.type === 'test:runtime') {
    void auto
      .choice()
      .then((choice) => reply.postMessage({ backend: choice.runtime.backend, reason: choice.reason }));
  }
  if (data?.type === 'test:bench-direct') {
    const params = data.params ?? {};
    const run =
      params.bench === 'wllama-own'
        ? benchWllamaOwn(params as Parameters<typeof benchWllamaOwn>[0])
        : params.bench === 'runtime'
          ? benchRuntime(params as Parameters<typeof benchRuntime>[0])
          : benchEngine(params);
    void run.then(
      (result) => reply.postMessage(result),
      (error: unknown) =>
        reply.postMessage({ error: error instanceof Error ? `${error.stack}` : String(error) }),
    );
  }
});
