/**
 * The test app's engine worker: models from the model store (downloaded by the page into Cache
 * Storage) and, by short name, fixture models read straight from the Hub-layout test server (same
 * origin); the runtime chosen by autoRuntime (the CPU one on SwiftShader unless the page asks `?gpu=1`); and two test hooks
 * outside the product API: the runtime's step counter and the in-worker benchmarks (engine called
 * directly, and through the HTTP handler).
 */
import { createHandler } from '@cinder/handler';
import type { ChatCompletionChunk } from '@cinder/protocol';
import { serveHttpPort } from '../../packages/host-sw/src/index.ts';
import {
  autoRuntime,
  combineCatalogs,
  createModelHost,
  exposeEngine,
  hubModelUrl,
  storeCatalog,
  urlCatalog,
} from '../../packages/host-worker/src/index.ts';
import { createModelStore } from '../../packages/model-store/src/index.ts';
import { countingRuntime } from '../support/counting-runtime.ts';
import { type BenchRun, benchRequestInit, sseTokenTimes, tokenTimes } from './bench-timing.ts';

const FIXTURES = ['tiny-smollm2', 'tiny-llama', 'tiny-qwen2', 'tiny-qwen3'];

const auto = autoRuntime({ allowSoftwareAdapter: new URLSearchParams(self.location.search).has('gpu') });
const runtime = countingRuntime(auto);
const catalog = combineCatalogs(
  storeCatalog(createModelStore({ hubBase: self.location.origin })),
  urlCatalog(
    Object.fromEntries(
      FIXTURES.map((name) => [name, hubModelUrl(`cinder-fixtures/${name}`, self.location.origin)]),
    ),
  ),
);
const engine = createModelHost({ runtime, catalog });
const handler = createHandler({ engine });
// `?coalesce=<ms>`: serveHttpPort's chunk coalescing (the SW benchmark compares settings).
const coalesce = new URLSearchParams(self.location.search).get('coalesce');
const coalesceMs = coalesce === null ? undefined : Number(coalesce);
exposeEngine(engine, { serveHttp: (port) => serveHttpPort(port, handler, { coalesceMs }) });

/** Times a stream called directly on the engine, in this worker (the baseline of the SW benchmark). */
async function benchDirect(params: Record<string, unknown>): Promise<BenchRun> {
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

/** The same stream through the HTTP handler in this worker, its SSE read here: HTTP's cost without the hops. */
async function benchHandler(params: Record<string, unknown>): Promise<BenchRun> {
  const started = performance.now();
  const response = await handler(
    new Request(`${self.location.origin}/v1/chat/completions`, benchRequestInit(params)),
  );
  return sseTokenTimes(started, response);
}

self.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { type?: string; params?: Record<string, unknown> } | null;
  const reply = event.ports[0];
  if (data?.type === 'test:steps') reply.postMessage(runtime.steps());
  if (data?.type === 'test:runtime') {
    void auto
      .choice()
      .then((choice) => reply.postMessage({ backend: choice.runtime.backend, reason: choice.reason }));
  }
  if (data?.type === 'test:bench-direct')
    void benchDirect(data.params ?? {}).then((run) => reply.postMessage(run));
  if (data?.type === 'test:bench-handler')
    void benchHandler(data.params ?? {}).then((run) => reply.postMessage(run));
});
