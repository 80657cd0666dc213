/**
 * A WebLLM model served by the model host, through exposeEngine + connectEngine over a real
 * MessageChannel (what a dedicated worker's endpoint is), next to one of our models on the CPU runtime.
 * The WebLLM engine is runtime-webllm's `recordingWebLlmEngine` stand-in (replaying recorded WebLLM
 * 0.2.86 outputs) because no model can be downloaded here and Node has no WebGPU; the adapter over it
 * is the real `createWebLlmEngine`, so abort -> interruptGenerate and WebLLM's errors are the real code.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { LoadProgress } from '@cinder/engine';
import { createHandler } from '@cinder/handler';
import { memoryModelSource } from '@cinder/model-format';
import { ApiError, type ChatCompletionChunk } from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import {
  createWebLlmEngine,
  type RecordingWebLlmEngine,
  recordingWebLlmEngine,
  WEBLLM_RECORDINGS,
  type WebLlmChunk,
  type WebLlmEngineLike,
  type WebLlmRecording,
  type WebLlmReply,
} from '@cinder/runtime-webllm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine, type EngineClient } from './connect-engine.ts';
import { exposeEngine } from './expose-engine.ts';
import { combineCatalogs, type ModelCatalog } from './model-catalog.ts';
import { createModelHost } from './model-host.ts';
import type { WebLlmBinding } from './webllm-binding.ts';
import { webLlmCatalog } from './webllm-catalog.ts';

const OURS = 'tiny-smollm2';
const WEBLLM = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const F16_ONLY = 'SmolLM2-360M-Instruct-q4f16_1-MLC';
const BROKEN = 'Broken-q4f32_1-MLC';
const SIZE = 376_000_000;
const fixtureDir = new URL(`../../../.fixtures/${OURS}/`, import.meta.url);

async function fixtureCatalog(): Promise<ModelCatalog> {
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(fixtureDir)) files[name] = await readFile(new URL(name, fixtureDir));
  return {
    list: async () => [{ id: OURS, cached: true }],
    entry: async (id) => (id === OURS ? { kind: 'source', source: memoryModelSource(OURS, files) } : null),
  };
}

/** streamBasic stretched to `deltas` content chunks: long enough to abort in the middle. */
function longStream(deltas: number): WebLlmRecording {
  const basic = WEBLLM_RECORDINGS.streamBasic;
  const chunks = basic.chunks ?? [];
  const delta = chunks[0];
  const tail = chunks.filter((chunk) => chunk.choices[0]?.finish_reason != null || chunk.usage);
  const body: WebLlmChunk[] = Array.from({ length: deltas }, () => delta);
  return { ...basic, name: 'long', chunks: [...body, ...tail], message: 'Hello'.repeat(deltas) };
}

/** What the user message asks the stand-in for: `long`, `fail` (a WebLLM error), else a short answer. */
function reply(request: { messages: unknown[]; stream?: boolean | null }): WebLlmReply {
  const last = JSON.stringify(request.messages.at(-1));
  if (last.includes('long')) return longStream(2000);
  if (last.includes('fail'))
    return { throw: 'ContextWindowSizeExceededError: Prompt tokens exceed context window size.' };
  return request.stream ? WEBLLM_RECORDINGS.streamBasic : WEBLLM_RECORDINGS.completeLength;
}

/** The binding's WebLLM side stood in: models and variants as data, load -> a recording engine. */
function standInWebLlm() {
  const engines: RecordingWebLlmEngine[] = [];
  const cached = new Set<string>();
  const deleted: string[] = [];
  const record = (id: string, f16 = false) => ({
    model: `https://huggingface.co/mlc-ai/${id}`,
    model_id: id,
    model_lib: `https://libs.example/${id}.wasm`,
    ...(f16 ? { required_features: ['shader-f16'] } : {}),
  });
  const binding: WebLlmBinding = {
    appConfig: { model_list: [record(WEBLLM), record(F16_ONLY, true), record(BROKEN)] },
    models: (config) =>
      config.model_list.map((r) => ({
        id: r.model_id,
        sizeBytes: SIZE,
        needsShaderF16: r.required_features?.includes('shader-f16') ?? false,
      })),
    pickVariant: (id, { shaderF16 }) => (shaderF16 ? id : id.replace('q4f16_1', 'q4f32_1')),
    async load(id, { onProgress }) {
      if (id === BROKEN) throw new Error('InternalError: cannot fetch the model library');
      for (const loaded of [SIZE / 2, SIZE]) onProgress?.({ loaded, total: SIZE, file: `${id} weights` });
      cached.add(id);
      const engine = recordingWebLlmEngine((request) => reply(request));
      engines.push(engine);
      return engine;
    },
    createEngine: ({ modelId, engine, ownedBy }) =>
      createWebLlmEngine({ modelId, engine: engine as WebLlmEngineLike, ownedBy }),
    storage: {
      isCached: async (id) => cached.has(id),
      async delete(id) {
        deleted.push(id);
        cached.delete(id);
      },
    },
  };
  return { binding, engines, deleted };
}

let client: EngineClient;
let host: ReturnType<typeof createModelHost>;
let channel: MessageChannel;
let webllm: ReturnType<typeof standInWebLlm>;
const user = (content: string) => [{ role: 'user' as const, content }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (cause: unknown) => cause,
  );

beforeAll(async () => {
  webllm = standInWebLlm();
  const noF16 = { requestAdapter: async () => ({ features: new Set<string>() }) };
  const catalog = combineCatalogs(
    await fixtureCatalog(),
    webLlmCatalog({
      webllm: webllm.binding,
      models: [WEBLLM, F16_ONLY, BROKEN],
      gpu: noF16,
      fetch: async () => new Response(null),
    }),
  );
  channel = new MessageChannel();
  host = createModelHost({ runtime: cpuRuntime, catalog });
  exposeEngine(host, { endpoint: channel.port1 });
  client = connectEngine(channel.port2);
});
afterAll(() => {
  client.close();
  channel.port1.close();
  channel.port2.close();
});

describe('a WebLLM model in the model host', () => {
  it('is listed beside ours with runtime, size and cached state (f16-only ids as their f32 variant)', async () => {
    const { data } = await client.models.list();
    expect(data).toEqual([
      expect.objectContaining({ id: OURS, object: 'model', runtime: 'cpu', size_bytes: null, cached: true }),
      expect.objectContaining({
        id: WEBLLM,
        object: 'model',
        runtime: 'webllm',
        size_bytes: SIZE,
        cached: false,
      }),
      expect.objectContaining({ id: BROKEN, runtime: 'webllm' }),
    ]);
    expect(await client.models.retrieve(WEBLLM)).toMatchObject({ id: WEBLLM, runtime: 'webllm' });
  });

  it('loads with progress; then it is loaded, cached and counted in storage', async () => {
    const progress: LoadProgress[] = [];
    const info = await client.loadModel(WEBLLM, { onProgress: (event) => progress.push(event) });
    expect(info).toMatchObject({ id: WEBLLM, backend: 'webllm', weightBytes: SIZE });
    await sleep(20); // progress callbacks are fire-and-forget messages
    expect(progress.at(-1)).toEqual({ loaded: SIZE, total: SIZE, file: `${WEBLLM} weights` });
    expect((await client.loadedModels()).map((model) => model.id)).toEqual([WEBLLM]);
    expect(await client.models.retrieve(WEBLLM)).toMatchObject({ cached: true });
    expect(await client.storageUsed()).toEqual({ bytes: SIZE });
  });

  it('streams in our chunk shape', async () => {
    const stream = await client.chat.completions.create({
      model: WEBLLM,
      messages: user('Say hello.'),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello, world!');
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 5, prompt_tokens: 12 });
    expect(chunks.every((chunk) => chunk.model === WEBLLM)).toBe(true);
  });

  it('an aborted stream interrupts WebLLM, and the engine serves the next request', async () => {
    const engine = webllm.engines[0];
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: WEBLLM, messages: user('Go on, long.'), stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    const loop = (async () => {
      for await (const _ of stream) if (++seen === 3) controller.abort();
    })();
    await expect(loop).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(50);
    expect(engine.interrupts).toBe(1);
    expect(engine.active).toBe(0);
    const completion = await client.chat.completions.create({ model: WEBLLM, messages: user('Say hello.') });
    expect(completion.choices[0]).toMatchObject({
      message: { content: 'Hello there' },
      finish_reason: 'length',
    });
    expect(engine.maxConcurrent).toBe(1);
  });

  it("errors cross the worker boundary as ApiErrors (WireErrors): ours, WebLLM's and the catalog's", async () => {
    const invalid = await failure(
      client.chat.completions.create({ model: WEBLLM, messages: user('Hi'), temperature: 'hot' } as never),
    );
    expect(invalid).toBeInstanceOf(ApiError);
    expect(invalid).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'temperature' });

    const fromWebLlm = await failure(
      client.chat.completions.create({ model: WEBLLM, messages: user('fail') }),
    );
    expect(fromWebLlm).toBeInstanceOf(ApiError);
    expect(fromWebLlm).toMatchObject({ status: 400, code: 'context_length_exceeded', param: 'messages' });

    const f16 = await failure(client.chat.completions.create({ model: F16_ONLY, messages: user('Hi') }));
    expect(f16).toBeInstanceOf(ApiError);
    expect(f16).toMatchObject({ status: 400, param: 'model', code: 'model_not_supported' });
    expect((f16 as Error).message).toContain(`use '${WEBLLM}' instead`);

    const broken = await failure(client.loadModel(BROKEN));
    expect(broken).toBeInstanceOf(ApiError);
    expect(broken).toMatchObject({ status: 500, type: 'server_error', code: 'model_load_failed' });
    expect((broken as Error).message).toContain(`WebLLM could not load the model '${BROKEN}'`);
  });

  it('over HTTP (the handler the service worker reaches): an SSE stream, /v1/models, an error body', async () => {
    const handler = createHandler({ engine: host });
    const post = (body: unknown) =>
      handler(
        new Request('http://localhost/v1/chat/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
    const response = await post({ model: WEBLLM, messages: user('Say hello.'), stream: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = (await response.text()).split('\n\n').filter((event) => event.startsWith('data: '));
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map((event) => (JSON.parse(event.slice(6)) as ChatCompletionChunk).choices[0]?.delta.content ?? '')
      .join('');
    expect(text).toBe('Hello, world!');

    const models = await (await handler(new Request('http://localhost/v1/models'))).json();
    expect(models.data.find((model: { id: string }) => model.id === WEBLLM)).toMatchObject({
      runtime: 'webllm',
    });

    const refused = await post({ model: F16_ONLY, messages: user('Hi') });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({ param: 'model', code: 'model_not_supported' });
  });

  it('our model still runs beside it', async () => {
    const completion = await client.chat.completions.create({
      model: OURS,
      messages: user('Hi'),
      max_tokens: 3,
      ignore_eos: true,
    });
    expect(completion.usage?.completion_tokens).toBe(3);
    expect((await client.loadedModels()).map((model) => model.backend).sort()).toEqual(['cpu', 'webllm']);
  });

  it('unload frees the WebLLM engine; delete asks WebLLM to forget its files', async () => {
    expect(await client.unloadModel(WEBLLM)).toBe(true);
    expect(webllm.engines[0].calls.at(-1)?.method).toBe('unload');
    await client.deleteModel(WEBLLM);
    expect(webllm.deleted).toEqual([WEBLLM]);
    expect(await client.models.retrieve(WEBLLM)).toMatchObject({ cached: false });
    expect(await client.storageUsed()).toEqual({ bytes: 0 });
  });
});
