/**
 * exposeEngine + connectEngine over a real MessageChannel (what a dedicated worker's endpoint is),
 * with the real engine on the CPU runtime and the tiny-smollm2 fixture (written by the global setup).
 */
import { readdir, readFile } from 'node:fs/promises';
import type { LoadProgress, Runtime, RuntimeFactory } from '@cinder/engine';
import { memoryModelSource } from '@cinder/model-format';
import {
  ApiError,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
} from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectEngine, type EngineClient } from './connect-engine.ts';
import { exposeEngine } from './expose-engine.ts';
import type { ModelCatalog } from './model-catalog.ts';
import { createModelHost } from './model-host.ts';

const MODEL = 'tiny-smollm2';
const fixtureDir = new URL(`../../../.fixtures/${MODEL}/`, import.meta.url);

/** The CPU runtime, counting steps so tests can see generation stop. */
function countingCpu(): RuntimeFactory & { steps(): number } {
  let steps = 0;
  return {
    backend: 'cpu',
    steps: () => steps,
    async load(source, options) {
      const runtime = await cpuRuntime.load(source, options);
      const counted: Runtime = Object.create(runtime);
      counted.step = (batch) => {
        steps++;
        return runtime.step(batch);
      };
      return counted;
    },
  };
}

async function fixtureCatalog(): Promise<ModelCatalog & { deleted: string[] }> {
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(fixtureDir)) files[name] = await readFile(new URL(name, fixtureDir));
  const deleted: string[] = [];
  return {
    deleted,
    list: async () => [{ id: MODEL, sizeBytes: 1234, cached: true }],
    entry: async (id) => (id === MODEL ? { kind: 'source', source: memoryModelSource(MODEL, files) } : null),
    delete: async (id) => void deleted.push(id),
  };
}

const user = (content: string) => [{ role: 'user' as const, content }];
let client: EngineClient;
let runtime: ReturnType<typeof countingCpu>;
let catalog: Awaited<ReturnType<typeof fixtureCatalog>>;
let channel: MessageChannel;
const httpPorts: MessagePort[] = [];

beforeAll(async () => {
  runtime = countingCpu();
  catalog = await fixtureCatalog();
  channel = new MessageChannel();
  const host = createModelHost({ runtime, catalog });
  exposeEngine(host, { endpoint: channel.port1, serveHttp: (port) => httpPorts.push(port) });
  client = connectEngine(channel.port2);
});
afterAll(() => {
  client.close();
  channel.port1.close();
  channel.port2.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('models', () => {
  it('loads with progress, lists, unloads and deletes', async () => {
    const progress: LoadProgress[] = [];
    const info = await client.loadModel(MODEL, { onProgress: (event) => progress.push(event) });
    expect(info).toMatchObject({ id: MODEL, backend: 'cpu', architecture: 'LlamaForCausalLM' });
    await sleep(20); // progress callbacks are fire-and-forget messages
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)!.loaded).toBe(progress.at(-1)!.total);
    expect((await client.loadedModels()).map((model) => model.id)).toEqual([MODEL]);
    expect((await client.models.list()).data).toMatchObject([
      { id: MODEL, object: 'model', runtime: 'cpu', size_bytes: 1234, cached: true },
    ]);
    expect(await client.storageUsed()).toEqual({ bytes: 0 });
    expect(await client.unloadModel(MODEL)).toBe(true);
    expect(await client.loadedModels()).toEqual([]);
    await client.deleteModel(MODEL);
    expect(catalog.deleted).toEqual([MODEL]);
  });

  it('an unknown model is a 404 ApiError with its code and param', async () => {
    const error = await client.models.retrieve('nope').catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  });
});

describe('chat.completions.create', () => {
  it('resolves to a completion', async () => {
    const completion: ChatCompletion = await client.chat.completions.create({
      model: MODEL,
      messages: user('Hi'),
      max_tokens: 5,
      ignore_eos: true,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.usage?.completion_tokens).toBe(5);
  });

  it('streams chunks as an async iterable', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: user('Hi'),
      max_tokens: 6,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.at(-1)!.usage?.completion_tokens).toBe(6);
  });

  it('bad parameters and unknown models reject with the HTTP status and fields', async () => {
    const bad = await client.chat.completions
      .create({ model: MODEL, messages: user('Hi'), temperature: 'hot' } as unknown as ChatCompletionRequest)
      .catch((cause: unknown) => cause);
    expect(bad).toBeInstanceOf(ApiError);
    expect(bad).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'temperature' });
    const missing = await client.chat.completions
      .create({ model: 'nope', messages: user('Hi') })
      .catch((cause: unknown) => cause);
    expect(missing).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('aborting a stream stops generation within one token and rejects with AbortError', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: MODEL, messages: user('Go on'), max_tokens: 1000, ignore_eos: true, stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    const loop = (async () => {
      for await (const _ of stream) if (++seen === 3) controller.abort();
    })();
    await expect(loop).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(50);
    const atStop = runtime.steps();
    await sleep(200);
    expect(runtime.steps() - atStop).toBeLessThanOrEqual(1);
  });

  it('aborting a non-streaming request stops it too', async () => {
    const controller = new AbortController();
    const pending = client.chat.completions.create(
      { model: MODEL, messages: user('Go on'), max_tokens: 1000, ignore_eos: true },
      { signal: controller.signal },
    );
    await sleep(100);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(50);
    const atStop = runtime.steps();
    await sleep(200);
    expect(runtime.steps() - atStop).toBeLessThanOrEqual(1);
  });

  it('leaving the loop early cancels the stream', async () => {
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: user('Go on'),
      max_tokens: 1000,
      ignore_eos: true,
      stream: true,
    });
    for await (const _ of stream) break;
    await sleep(50);
    const atStop = runtime.steps();
    await sleep(200);
    expect(runtime.steps() - atStop).toBeLessThanOrEqual(1);
  });
});

it('connectHttp hands a port to the worker', async () => {
  const port = await client.connectHttp();
  expect(port).toBeInstanceOf(MessagePort);
  expect(httpPorts).toHaveLength(1);
  port.close();
});
