/**
 * Responses rebuilt from WebLLM 0.2.86's recorded output, streaming, abort and queueing. WebLLM is
 * replaced by a stand-in (recordingWebLlmEngine) replaying recordings of its real engine code: no
 * MLC model can be downloaded or run here.
 */
import type { ChatCompletion, ChatCompletionChunk } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';
import { describe, expect, test } from 'vitest';
import { validateAgainstSchema } from '../../protocol/src/testing/schema.ts';
import { createWebLlmEngine } from './create-webllm-engine.ts';
import { recordingWebLlmEngine, type WebLlmReply } from './testing/recording-engine.ts';
import { WEBLLM_RECORDINGS as R } from './testing/recordings.ts';

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const base = { model: MODEL, messages: [{ role: 'user', content: 'Say hello.' }] };

function setup(replies: WebLlmReply[]) {
  const webllm = recordingWebLlmEngine(replies);
  return { webllm, engine: createWebLlmEngine({ modelId: MODEL, engine: webllm }) };
}

async function complete(replies: WebLlmReply[], fields: Record<string, unknown> = {}) {
  const { webllm, engine } = setup(replies);
  const completion = (await engine.chat.completions.create({ ...base, ...fields })) as ChatCompletion;
  expect(validateAgainstSchema('CreateChatCompletionResponse', completion)).toEqual([]);
  return { webllm, completion };
}

async function collect(stream: unknown): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
    expect(validateAgainstSchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    chunks.push(chunk);
  }
  return chunks;
}

const textOf = (chunks: ChatCompletionChunk[], index = 0) =>
  chunks
    .flatMap((c) => c.choices)
    .filter((c) => c.index === index)
    .map((c) => c.delta.content ?? '')
    .join('');

describe('non-streaming', () => {
  test('our id, created in seconds, model, fingerprint, OpenAI finish_reason, usage with our fields', async () => {
    const { completion, webllm } = await complete([R.completeLength], { max_tokens: 2 });
    expect(completion.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60);
    expect(completion.model).toBe(MODEL);
    expect(completion.system_fingerprint).toMatch(/^fp_cinder_webllm/);
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'length', logprobs: null });
    expect(completion.choices[0].message).toEqual({
      role: 'assistant',
      content: 'Hello there',
      refusal: null,
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 2,
      total_tokens: 14,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(webllm.calls.map((c) => c.method)).toEqual(['resetChat', 'chatCompletion']);
  });

  test('request_id becomes the id', async () => {
    const { completion } = await complete([R.completeLength], { request_id: 'req-42' });
    expect(completion.id).toBe('req-42');
  });

  test('logprobs: true alone returns the token logprobs (WebLLM would return []), no alternatives, no EOS entry', async () => {
    const { completion, webllm } = await complete([R.completeLogprobs], { logprobs: true });
    expect(webllm.requests[0].top_logprobs).toBe(1);
    expect(completion.choices[0].logprobs).toEqual({
      content: [
        { token: 'Paris', logprob: -0.05, bytes: [80, 97, 114, 105, 115], top_logprobs: [] },
        { token: '.', logprob: -0.1, bytes: [46], top_logprobs: [] },
      ],
      refusal: null,
    });
  });

  test('top_logprobs keeps the alternatives', async () => {
    const { completion } = await complete([R.completeLogprobs], { logprobs: true, top_logprobs: 2 });
    expect(completion.choices[0].logprobs?.content?.[0].top_logprobs.map((t) => t.token)).toEqual([
      'Paris',
      'Lyon',
    ]);
  });

  test('-Infinity logprobs (probability underflow) become -9999, not null', async () => {
    const recording = structuredClone(R.completeLogprobs);
    const entry = recording.completion?.choices[0].logprobs?.content?.[1];
    if (!entry) throw new Error('recording changed');
    entry.top_logprobs[1].logprob = Number.NEGATIVE_INFINITY;
    const { completion } = await complete([recording], { logprobs: true, top_logprobs: 2 });
    expect(completion.choices[0].logprobs?.content?.[1].top_logprobs[1].logprob).toBe(-9999);
  });

  test('n: 2 is two WebLLM calls (seed, seed + 1); prompt counted once, completion summed', async () => {
    const { completion, webllm } = await complete([R.completeLength], { n: 2, seed: 5 });
    expect(webllm.requests.map((r) => r.seed)).toEqual([5, 6]);
    expect(completion.choices.map((c) => c.index)).toEqual([0, 1]);
    expect(completion.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16 });
    expect(webllm.calls.filter((c) => c.method === 'resetChat')).toHaveLength(2);
  });
});

describe('streaming', () => {
  test('role chunk first, content deltas without role, finish chunk, usage chunk; our ids and seconds', async () => {
    const { engine, webllm } = setup([R.streamBasic]);
    const chunks = await collect(
      await engine.chat.completions.create({
        ...base,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(webllm.requests[0]).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.slice(1).every((c) => c.choices.every((ch) => ch.delta.role === undefined))).toBe(true);
    expect(textOf(chunks)).toBe('Hello, world!');
    const finish = chunks.at(-2);
    expect(finish?.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 5 } });
    expect(chunks.at(-1)?.usage).not.toHaveProperty('extra');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0].id).toMatch(/^chatcmpl-/);
    expect(chunks.every((c) => c.created < 1e11)).toBe(true);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  test('without include_usage: no usage chunk and no usage key', async () => {
    const { engine } = setup([R.streamBasic]);
    const chunks = await collect(await engine.chat.completions.create({ ...base, stream: true }));
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  test('a stop string is never streamed, not even its beginning (WebLLM streams "\\n" of "\\n\\nUser")', async () => {
    const { engine } = setup([R.streamStopString]);
    const chunks = await collect(
      await engine.chat.completions.create({ ...base, stream: true, stop: ['\n\nUser'] }),
    );
    expect(textOf(chunks)).toBe('Sure.');
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('stop');
  });

  test('a character split over tokens arrives whole', async () => {
    const { engine } = setup([R.streamMultibyteLogprobs]);
    const chunks = await collect(await engine.chat.completions.create({ ...base, stream: true }));
    expect(textOf(chunks)).toBe('Hi 😀');
  });

  test('finish_reason length', async () => {
    const { engine } = setup([R.streamLength]);
    const chunks = await collect(
      await engine.chat.completions.create({ ...base, stream: true, max_tokens: 3 }),
    );
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe('length');
    expect(textOf(chunks)).toBe('One two three');
  });

  test('logprobs: generated without WebLLM streaming, every entry in one chunk', async () => {
    const { engine, webllm } = setup([R.completeLogprobs]);
    const chunks = await collect(
      await engine.chat.completions.create({ ...base, stream: true, logprobs: true, top_logprobs: 2 }),
    );
    expect(webllm.requests[0].stream).toBeUndefined();
    expect(chunks.map((c) => c.choices[0].logprobs?.content?.length ?? 0)).toEqual([0, 2, 0]);
    expect(textOf(chunks)).toBe('Paris.');
  });

  test('n: 2 streams the choices one after the other (WebLLM refuses n > 1 with stream)', async () => {
    const { engine, webllm } = setup([R.streamBasic]);
    const chunks = await collect(
      await engine.chat.completions.create({
        ...base,
        n: 2,
        seed: 1,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(webllm.requests.map((r) => [r.n, r.seed])).toEqual([
      [undefined, 1],
      [undefined, 2],
    ]);
    expect(textOf(chunks, 0)).toBe('Hello, world!');
    expect(textOf(chunks, 1)).toBe('Hello, world!');
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0].index)).toEqual([0, 1]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 10 });
  });
});

describe('abort and leaving a stream', () => {
  test('signal during a non-streaming request: interruptGenerate, AbortError, next request works', async () => {
    const { engine, webllm } = setup([R.completeLength]);
    const controller = new AbortController();
    const pending = engine.chat.completions.create(base, { signal: controller.signal });
    setTimeout(() => controller.abort(), 0);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(webllm.interrupts).toBe(1);
    const next = (await engine.chat.completions.create(base)) as ChatCompletion;
    expect(next.choices[0].message.content).toBe('Hello there');
  });

  test('signal during a stream: interruptGenerate, the stream rejects, next request works', async () => {
    const { engine, webllm } = setup([R.streamAbort, R.streamBasic]);
    const controller = new AbortController();
    const stream = await engine.chat.completions.create(
      { ...base, stream: true },
      { signal: controller.signal },
    );
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
          seen.push(chunk.choices[0]?.delta.content ?? '');
          if (seen.length === 2) controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(webllm.interrupts).toBeGreaterThanOrEqual(1);
    expect(webllm.active).toBe(0);
    const chunks = await collect(await engine.chat.completions.create({ ...base, stream: true }));
    expect(textOf(chunks)).toBe('Hello, world!');
  });

  test('break out of a stream: interruptGenerate, WebLLM iterator returned, next request works', async () => {
    const { engine, webllm } = setup([R.streamAbort, R.completeLength]);
    const stream = await engine.chat.completions.create({ ...base, stream: true });
    for await (const chunk of stream as AsyncIterable<ChatCompletionChunk>) {
      if (chunk.choices[0]?.delta.content) break;
    }
    expect(webllm.interrupts).toBe(1);
    expect(webllm.active).toBe(0);
    const next = (await engine.chat.completions.create(base)) as ChatCompletion;
    expect(next.choices[0].finish_reason).toBe('length');
  });

  test('return() before the first chunk still frees WebLLM and the queue', async () => {
    const { engine, webllm } = setup([R.streamBasic, R.completeLength]);
    const stream = (await engine.chat.completions.create({
      ...base,
      stream: true,
    })) as AsyncIterableIterator<unknown>;
    await stream.return?.();
    expect(webllm.active).toBe(0);
    await engine.chat.completions.create(base);
  });

  test('already-aborted signal: rejected before WebLLM is called', async () => {
    const { engine, webllm } = setup([R.completeLength]);
    await expect(engine.chat.completions.create(base, { signal: AbortSignal.abort() })).rejects.toMatchObject(
      {
        name: 'AbortError',
      },
    );
    expect(webllm.calls).toHaveLength(0);
  });
});

describe('queueing: one generation at a time', () => {
  test('concurrent requests never overlap in WebLLM; lower priority value first', async () => {
    const { engine, webllm } = setup([R.streamBasic]);
    const first = engine.chat.completions.create({ ...base, stream: true, seed: 1 });
    const late = engine.chat.completions.create({ ...base, stream: true, seed: 3, priority: 5 });
    const early = engine.chat.completions.create({ ...base, stream: true, seed: 2, priority: -1 });
    await Promise.all([first, early, late].map(async (p) => collect(await p)));
    expect(webllm.maxConcurrent).toBe(1);
    expect(webllm.requests.map((r) => r.seed)).toEqual([1, 2, 3]);
  });

  test('a request aborted while waiting leaves the queue', async () => {
    const { engine, webllm } = setup([R.completeLength]);
    const running = engine.chat.completions.create(base);
    const controller = new AbortController();
    const waiting = engine.chat.completions.create(base, { signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    await running;
    expect(webllm.requests).toHaveLength(1);
  });
});

describe('WebLLM errors become ApiErrors', () => {
  const cases: [string, unknown, number, string | null][] = [
    [
      'an Error object (MLCEngine)',
      namedError('ContextWindowSizeExceededError', 'Prompt tokens exceed'),
      400,
      'messages',
    ],
    [
      'a "Name: message" string (WebWorkerMLCEngine)',
      'DeviceLostError: The WebGPU device was lost.',
      503,
      null,
    ],
    ['a grammar that does not compile', namedError('GrammarMatcherInitError', 'bad'), 400, 'response_format'],
    ['an unknown failure', new Error('InternalError: failed to sample a valid token.'), 500, null],
  ];
  test.each(cases)('%s', async (_, thrown, status, param) => {
    const { engine } = setup([{ throw: thrown }]);
    const error = await engine.chat.completions.create(base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, param });
  });

  test('a failure at prefill of a stream rejects create(), and frees the queue', async () => {
    const { engine } = setup([
      { throw: namedError('GrammarMatcherInitError', 'bad'), when: 'prefill' },
      R.completeLength,
    ]);
    await expect(engine.chat.completions.create({ ...base, stream: true })).rejects.toMatchObject({
      status: 400,
      param: 'response_format',
    });
    await engine.chat.completions.create(base);
  });
});

describe('models and dispose', () => {
  test('lists the one model; unknown ids are 404; dispose unloads', async () => {
    const { engine, webllm } = setup([R.completeLength]);
    expect((await engine.models.list()).data.map((m) => [m.id, m.owned_by])).toEqual([[MODEL, 'webllm']]);
    await expect(engine.models.retrieve('nope')).rejects.toMatchObject({ status: 404 });
    await engine.dispose();
    expect(webllm.calls.at(-1)?.method).toBe('unload');
    await expect(engine.chat.completions.create(base)).rejects.toMatchObject({ status: 503 });
  });
});

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}
