/**
 * The engine end to end on the CPU runtime and fixture models: batching, n > 1, stops, limits,
 * streaming invariants, cancellation and prefill chunking. (Sampler details are tested in sampling/.)
 */
import { ensureFixture } from '@cinder/fixtures';
import { directoryModelSource } from '@cinder/host-node';
import type { ChatCompletion, ChatCompletionChunk } from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type LocalEngine } from './index.ts';
import type { Runtime, RuntimeFactory } from './runtime/runtime.ts';
import { applyBitmask } from './structured/apply-bitmask.ts';

const model = 'tiny-smollm2';
let dir: string;
let engine: LocalEngine;

/** The real CPU runtime, with a count of steps and of sequences per step. */
function counted(): RuntimeFactory & { batches: number[] } {
  const batches: number[] = [];
  return {
    backend: 'cpu',
    batches,
    async load(source, options) {
      const runtime = await cpuRuntime.load(source, options);
      return Object.assign(Object.create(runtime) as Runtime, {
        step: (batch: Parameters<Runtime['step']>[0]) => {
          batches.push(batch.length);
          return runtime.step(batch);
        },
      });
    },
  };
}

beforeAll(async () => {
  dir = await ensureFixture(model);
  engine = createEngine({ models: [{ source: directoryModelSource(dir), runtime: cpuRuntime }] });
});

const base = { model, messages: [{ role: 'user', content: 'Once upon a time' }], temperature: 0 };

async function complete(
  params: Record<string, unknown>,
  target: LocalEngine = engine,
): Promise<ChatCompletion> {
  return (await target.chat.completions.create({ ...base, ...params })) as ChatCompletion;
}

async function chunks(params: Record<string, unknown>): Promise<ChatCompletionChunk[]> {
  const stream = (await engine.chat.completions.create({
    ...base,
    ...params,
    stream: true,
  })) as AsyncIterable<ChatCompletionChunk>;
  const out: ChatCompletionChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('generation', () => {
  it('honours max_tokens and max_completion_tokens with finish_reason length', async () => {
    const a = await complete({ max_tokens: 5, ignore_eos: true });
    expect(a.usage?.completion_tokens).toBe(5);
    expect(a.choices[0].finish_reason).toBe('length');
    const b = await complete({ max_completion_tokens: 3, ignore_eos: true });
    expect(b.usage?.completion_tokens).toBe(3);
  });

  it('streams exactly the text of the non-streamed completion, with token ids that add up', async () => {
    const whole = await complete({ max_tokens: 20, ignore_eos: true, return_token_ids: true });
    const streamed = await chunks({ max_tokens: 20, ignore_eos: true, return_token_ids: true });
    const text = streamed.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const ids = streamed.flatMap((c) => c.choices[0]?.token_ids ?? []);
    expect(text).toBe(whole.choices[0].message.content);
    expect(ids).toEqual(whole.choices[0].token_ids);
    expect(streamed[0].prompt_token_ids).toEqual(whole.prompt_token_ids);
  });

  it('stops at a stop string without ever streaming part of it', async () => {
    const free = await complete({ max_tokens: 24, ignore_eos: true });
    const text = free.choices[0].message.content ?? '';
    // Pick a stop string from the middle of the free-running output.
    const stop = text.slice(6, 9);
    expect(stop.length).toBe(3);
    const streamed = await chunks({ max_tokens: 24, ignore_eos: true, stop: [stop] });
    const out = streamed.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(out).toBe(text.slice(0, text.indexOf(stop)));
    const finish = streamed.find((c) => c.choices[0]?.finish_reason);
    expect(finish?.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: stop });
    const included = await complete({
      max_tokens: 24,
      ignore_eos: true,
      stop: stop,
      include_stop_str_in_output: true,
    });
    expect(included.choices[0].message.content).toBe(text.slice(0, text.indexOf(stop) + stop.length));
  });

  it('stops at a stop token id and reports it as stop_reason', async () => {
    const free = await complete({ max_tokens: 10, ignore_eos: true, return_token_ids: true });
    const ids = free.choices[0].token_ids ?? [];
    const stopId = ids[4];
    const stopped = await complete({
      max_tokens: 10,
      ignore_eos: true,
      stop_token_ids: [stopId],
      return_token_ids: true,
    });
    expect(stopped.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: stopId });
    expect(stopped.choices[0].token_ids).toEqual(ids.slice(0, ids.indexOf(stopId) + 1));
    // min_tokens defers it.
    const later = await complete({
      max_tokens: 10,
      ignore_eos: true,
      stop_token_ids: [stopId],
      min_tokens: 8,
      return_token_ids: true,
    });
    expect(later.choices[0].token_ids!.length).toBeGreaterThanOrEqual(8);
  });

  it('n > 1 runs the choices as one batch', async () => {
    const factory = counted();
    const batched = createEngine({ models: [{ source: directoryModelSource(dir), runtime: factory }] });
    const result = await complete(
      { n: 3, max_tokens: 6, ignore_eos: true, temperature: 1, seed: 1 },
      batched,
    );
    expect(result.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(result.usage?.completion_tokens).toBe(18);
    // Prefill steps carry the one prompt sequence; then 5 decode steps carry all three choices.
    expect(factory.batches.filter((size) => size !== 1)).toEqual([3, 3, 3, 3, 3]);
    await batched.dispose();
  });

  it('concurrent requests share decode steps', async () => {
    const factory = counted();
    const shared = createEngine({ models: [{ source: directoryModelSource(dir), runtime: factory }] });
    await shared.loadModel(model);
    await Promise.all([1, 2, 3].map(() => complete({ max_tokens: 8, ignore_eos: true }, shared)));
    expect(Math.max(...factory.batches)).toBe(3);
    expect(factory.batches.length).toBeLessThan(3 * 9);
    await shared.dispose();
  });

  it('splits long prompts into prefill chunks without changing the output', async () => {
    const factory = counted();
    const chunked = createEngine({
      models: [{ source: directoryModelSource(dir), runtime: factory }],
      scheduler: { prefillChunkTokens: 5 },
    });
    const params = { max_tokens: 8, ignore_eos: true, return_token_ids: true };
    const a = await complete(params, chunked);
    const b = await complete(params);
    expect(a.choices[0].token_ids).toEqual(b.choices[0].token_ids);
    expect(factory.batches.length).toBeGreaterThan(a.prompt_token_ids!.length / 5);
    await chunked.dispose();
  });

  it('the same seed gives the same sampled output', async () => {
    const params = { max_tokens: 12, ignore_eos: true, temperature: 1, seed: 42 };
    const a = await complete(params);
    const b = await complete(params);
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
  });

  it('echo prepends the continued assistant message, streamed or not', async () => {
    const messages = [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Well, hello' },
    ];
    const params = {
      messages,
      echo: true,
      continue_final_message: true,
      add_generation_prompt: false,
      max_tokens: 4,
    };
    const whole = await complete(params);
    expect(whole.choices[0].message.content?.startsWith('Well, hello')).toBe(true);
    const streamed = await chunks(params);
    expect(streamed.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      whole.choices[0].message.content,
    );
  });

  it('renders a developer message as the system prompt the template knows', async () => {
    const qwen = createEngine({
      models: [{ source: directoryModelSource(await ensureFixture('tiny-qwen3')), runtime: cpuRuntime }],
    });
    const ask = (role: string) =>
      complete(
        {
          model: 'tiny-qwen3',
          messages: [
            { role, content: 'Be brief.' },
            { role: 'user', content: 'Hi' },
          ],
          max_tokens: 1,
          return_token_ids: true,
        },
        qwen,
      );
    expect((await ask('developer')).prompt_token_ids).toEqual((await ask('system')).prompt_token_ids);
    await qwen.dispose();
  });

  it('repetition_detection ends a looping output early', async () => {
    // A huge bias makes the model say one token forever; three in a row is a loop.
    const result = await complete({
      max_tokens: 10,
      ignore_eos: true,
      logit_bias: { '70': 100 },
      repetition_detection: { min_pattern_size: 1, max_pattern_size: 4, min_count: 3 },
    });
    expect(result.usage?.completion_tokens).toBe(3);
    expect(result.choices[0].finish_reason).toBe('stop');
  });

  it('renders the deprecated functions as tools in the template', async () => {
    const fn = {
      name: 'get_weather',
      description: 'Weather now',
      parameters: { type: 'object', properties: {} },
    };
    const qwen = createEngine({
      models: [{ source: directoryModelSource(await ensureFixture('tiny-qwen3')), runtime: cpuRuntime }],
    });
    const base3 = {
      model: 'tiny-qwen3',
      messages: [{ role: 'user', content: 'Weather?' }],
      max_tokens: 1,
      return_token_ids: true,
    };
    const viaFunctions = await complete({ ...base3, functions: [fn], function_call: 'auto' }, qwen);
    const viaTools = await complete({ ...base3, tools: [{ type: 'function', function: fn }] }, qwen);
    const plain = await complete(base3, qwen);
    expect(viaFunctions.prompt_token_ids).toEqual(viaTools.prompt_token_ids);
    expect(viaFunctions.prompt_token_ids!.length).toBeGreaterThan(plain.prompt_token_ids!.length);
    await qwen.dispose();
  });

  it('uses request_id as the response id', async () => {
    const result = await complete({ max_tokens: 1, request_id: 'req-123' });
    expect(result.id).toBe('req-123');
  });
});

describe('prompt logprobs', () => {
  it('scores every prompt token after the first with the model, as vLLM lays it out', async () => {
    const result = await complete({ max_tokens: 2, prompt_logprobs: 2, return_token_ids: true });
    const ids = result.prompt_token_ids!;
    const entries = result.prompt_logprobs!;
    expect(entries).toHaveLength(ids.length);
    expect(entries[0]).toBeNull();
    for (let p = 1; p < ids.length; p++) {
      const entry = entries[p]!;
      const own = entry[ids[p]];
      expect(own.logprob).toBeLessThanOrEqual(0);
      expect(own.rank).toBeGreaterThanOrEqual(1);
      const top = Object.values(entry).filter((e) => (e.rank ?? 0) <= 2);
      expect(top.map((e) => e.rank).sort()).toEqual([1, 2]);
      for (const alternative of top) expect(alternative.logprob).toBeGreaterThanOrEqual(own.logprob - 1e-6);
    }
    // The prompt's last position predicts the first generated token: greedy picks its top entry.
    const chunked = createEngine({
      models: [{ source: directoryModelSource(dir), runtime: cpuRuntime }],
      scheduler: { prefillChunkTokens: 3 },
    });
    const again = await complete({ max_tokens: 2, prompt_logprobs: 2, return_token_ids: true }, chunked);
    expect(again.prompt_logprobs).toEqual(entries.map((e) => (e ? expect.any(Object) : null)));
    for (let p = 1; p < ids.length; p++) {
      expect(again.prompt_logprobs![p]![ids[p]].logprob).toBeCloseTo(entries[p]![ids[p]].logprob, 5);
    }
    expect(again.choices[0].token_ids).toEqual(result.choices[0].token_ids);
    await chunked.dispose();
  });
});

describe('prefix cache', () => {
  it('reuses the KV cache of a resent chat history, reports cached_tokens, and changes no output', async () => {
    const cached = createEngine({ models: [{ source: directoryModelSource(dir), runtime: cpuRuntime }] });
    const fresh = createEngine({
      models: [{ source: directoryModelSource(dir), runtime: cpuRuntime }],
      scheduler: { prefixCacheTokens: 0 },
    });
    const turn1 = [{ role: 'user', content: 'Tell me about the sea.' }];
    const first = await complete({ messages: turn1, max_tokens: 6, ignore_eos: true }, cached);
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const turn2 = [
      ...turn1,
      { role: 'assistant', content: first.choices[0].message.content },
      { role: 'user', content: 'And the mountains?' },
    ];
    const params = {
      messages: turn2,
      max_tokens: 8,
      ignore_eos: true,
      return_token_ids: true,
      logprobs: true,
    };
    const second = await complete(params, cached);
    const reference = await complete(params, fresh);
    const reused = second.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    expect(reused).toBeGreaterThan(first.usage!.prompt_tokens / 2);
    expect(reused).toBeLessThan(second.usage!.prompt_tokens);
    expect(second.choices[0].token_ids).toEqual(reference.choices[0].token_ids);
    second.choices[0].logprobs!.content!.forEach((entry, i) => {
      expect(entry.logprob).toBeCloseTo(reference.choices[0].logprobs!.content![i].logprob, 4);
    });
    // A different cache_salt never sees that prefix.
    const salted = await complete({ ...params, cache_salt: 'another-user' }, cached);
    expect(salted.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    await cached.dispose();
    await fresh.dispose();
  });
});

describe('device sampling', () => {
  /**
   * The CPU runtime with `deviceSampling` switched on and the draw done by its wrapper, as a GPU
   * runtime would: the engine must then ask for no logits and take the token it is given.
   */
  function drawingRuntime(
    settings: { masks?: boolean; bias?: boolean } = {},
  ): RuntimeFactory & { draws: number; masked: number } {
    const factory = {
      backend: 'cpu',
      draws: 0,
      masked: 0,
      async load(
        source: Parameters<RuntimeFactory['load']>[0],
        options?: Parameters<RuntimeFactory['load']>[1],
      ) {
        const runtime = await cpuRuntime.load(source, options);
        return Object.assign(Object.create(runtime) as Runtime, {
          deviceSampling: true,
          deviceMasks: settings.masks === true,
          deviceBias: settings.bias === true,
          step: async (batch: Parameters<Runtime['step']>[0]) => {
            const outputs = await runtime.step(
              batch.map((input) => (input.sample ? { ...input, logits: 'last' as const } : input)),
            );
            return outputs.map((output, i) => {
              const draw = batch[i].sample;
              if (!draw) return output;
              factory.draws++;
              expect(draw.temperature).toBe(0);
              const raw = output.logits; // logprobs stay raw
              const row = draw.allowed || draw.bias ? raw.slice() : raw;
              for (const [id, delta] of draw.bias ?? []) row[id] += delta;
              if (draw.allowed) {
                factory.masked++;
                applyBitmask(draw.allowed, row); // the mask before the draw, as the CPU applies it
              }
              let token = 0;
              for (let id = 1; id < row.length; id++) if (row[id] > row[token]) token = id;
              let lse = 0;
              for (const value of raw) lse += Math.exp(value - raw[token]);
              const logprob = -Math.log(lse);
              return {
                logits: new Float32Array(0),
                sampled: { token, logprob, top: [{ id: token, logprob }] },
              };
            });
          },
        });
      },
    };
    return factory;
  }

  it('greedy requests take device-sampled tokens and logprobs, matching the CPU path', async () => {
    const factory = drawingRuntime();
    const device = createEngine({ models: [{ source: directoryModelSource(dir), runtime: factory }] });
    const params = {
      max_tokens: 8,
      ignore_eos: true,
      return_token_ids: true,
      logprobs: true,
      top_logprobs: 1,
    };
    const a = await complete(params, device);
    const b = await complete(params);
    expect(factory.draws).toBe(8);
    expect(a.choices[0].token_ids).toEqual(b.choices[0].token_ids);
    a.choices[0].logprobs!.content!.forEach((entry, i) => {
      expect(entry.logprob).toBeCloseTo(b.choices[0].logprobs!.content![i].logprob, 4);
    });
    // A processor the device cannot run (a logit bias) keeps sampling on the CPU, and so does a
    // grammar on a runtime that cannot apply masks.
    const before = factory.draws;
    await complete({ ...params, logit_bias: { '5': 1 } }, device);
    await complete({ ...params, response_format: { type: 'json_object' } }, device);
    expect(factory.draws).toBe(before);
    await device.dispose();
  });

  it('logit_bias and presence / frequency penalties draw on a runtime that adds them, as on the CPU', async () => {
    const factory = drawingRuntime({ bias: true });
    const device = createEngine({ models: [{ source: directoryModelSource(dir), runtime: factory }] });
    const params = { max_tokens: 24, ignore_eos: true, return_token_ids: true, logprobs: true };
    for (const extra of [
      { logit_bias: { '5': 3, '17': -2 } },
      { presence_penalty: 0.8, frequency_penalty: 0.6 },
      { frequency_penalty: 1.5, logit_bias: { '9': 1 } },
    ]) {
      const before = factory.draws;
      const a = await complete({ ...params, ...extra }, device);
      const b = await complete({ ...params, ...extra });
      expect(factory.draws - before, JSON.stringify(extra)).toBe(24);
      expect(a.choices[0].token_ids, JSON.stringify(extra)).toEqual(b.choices[0].token_ids);
      a.choices[0].logprobs!.content!.forEach((entry, i) => {
        expect(entry.logprob).toBeCloseTo(b.choices[0].logprobs!.content![i].logprob, 4);
      });
    }
    // The repetition penalty scales by sign: not an addition, so it stays on the CPU.
    const before = factory.draws;
    await complete({ ...params, repetition_penalty: 1.3 }, device);
    expect(factory.draws).toBe(before);
    await device.dispose();
  });

  it('min_tokens, bad_words and allowed_token_ids draw on a runtime with masks and additions, as on the CPU', async () => {
    const factory = drawingRuntime({ masks: true, bias: true });
    const device = createEngine({ models: [{ source: directoryModelSource(dir), runtime: factory }] });
    for (const extra of [
      { max_tokens: 16, min_tokens: 12 },
      { max_tokens: 16, ignore_eos: true, bad_words: ['the', ' a', 'ing'] },
      { max_tokens: 16, ignore_eos: true, allowed_token_ids: [5, 9, 17, 30, 31, 32, 64, 100] },
      { max_tokens: 16, ignore_eos: true, allowed_token_ids: [5, 9, 17, 64], logit_bias: { '9': 2 } },
    ]) {
      const params = { return_token_ids: true, ...extra };
      const before = factory.draws;
      const a = await complete(params, device);
      const b = await complete(params);
      expect(a.choices[0].token_ids, JSON.stringify(extra)).toEqual(b.choices[0].token_ids);
      expect(factory.draws - before, JSON.stringify(extra)).toBe(a.choices[0].token_ids!.length);
    }
    await device.dispose();
  });

  it('grammars draw on a runtime that applies masks, with the same tokens as the CPU path', async () => {
    const factory = drawingRuntime({ masks: true });
    const device = createEngine({ models: [{ source: directoryModelSource(dir), runtime: factory }] });
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
    };
    for (const response_format of [
      { type: 'json_object' },
      { type: 'json_schema', json_schema: { name: 'person', schema } },
    ]) {
      const params = { max_tokens: 40, return_token_ids: true, logprobs: true, response_format };
      const before = factory.masked;
      const a = await complete(params, device);
      const b = await complete(params);
      expect(factory.masked - before).toBe(a.choices[0].token_ids!.length);
      expect(a.choices[0].token_ids).toEqual(b.choices[0].token_ids);
      expect(a.choices[0].finish_reason).toBe(b.choices[0].finish_reason);
      expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
      a.choices[0].logprobs!.content!.forEach((entry, i) => {
        expect(entry.logprob).toBeCloseTo(b.choices[0].logprobs!.content![i].logprob, 4);
      });
    }
    await device.dispose();
  });
});

describe('errors', () => {
  it('rejects a prompt + max_tokens beyond the context window with a 400 naming the param', async () => {
    await expect(complete({ max_tokens: 10_000_000 })).rejects.toMatchObject({
      status: 400,
      param: 'max_tokens',
    });
    await expect(complete({ max_completion_tokens: 10_000_000 })).rejects.toMatchObject({
      status: 400,
      param: 'max_completion_tokens',
    });
  });

  it('rejects out-of-vocabulary token ids', async () => {
    await expect(complete({ logit_bias: { '999999': 5 } })).rejects.toMatchObject({
      status: 400,
      param: 'logit_bias',
    });
    await expect(complete({ allowed_token_ids: [-1] })).rejects.toMatchObject({ status: 400 });
  });

  it('rejects image parts for this text-only model, naming the part', async () => {
    await expect(
      complete({
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://x/y.png' } }] }],
      }),
    ).rejects.toMatchObject({ status: 400, param: 'messages[0].content[0]' });
  });

  it('an aborted stream stops and rejects with an AbortError', async () => {
    const controller = new AbortController();
    const stream = (await engine.chat.completions.create(
      { ...base, max_tokens: 300, ignore_eos: true, stream: true },
      { signal: controller.signal },
    )) as AsyncIterable<ChatCompletionChunk>;
    let seen = 0;
    await expect(
      (async () => {
        for await (const _ of stream) if (++seen === 3) controller.abort();
      })(),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toBeLessThan(10);
  });
});
