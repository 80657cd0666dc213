/**
 * The generation surface field by field, through the engine on the CPU reference runtime and a
 * fixture model: each sampling and output control does what vLLM documents. (The sampler chain's
 * distributions are tested in sampling/; here the fields reach it and come back out right.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFixture } from '@cinder/fixtures';
import { directoryModelSource } from '@cinder/host-node';
import type { ChatCompletion, ChatCompletionChunk } from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type LocalEngine, loadTokenizer, type TextTokenizer } from './index.ts';

const model = 'tiny-smollm2';
/** The fixture's special tokens: <|endoftext|> 0, <|im_start|> 1, <|im_end|> 2 (EOS). */
const IM_START = 1;
const EOS = 2;
let dir: string;
let engine: LocalEngine;
let tokenizer: TextTokenizer;

beforeAll(async () => {
  dir = await ensureFixture(model);
  engine = createEngine({ models: [{ source: directoryModelSource(dir), runtime: cpuRuntime }] });
  const read = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8'));
  tokenizer = loadTokenizer(read('tokenizer.json'), read('tokenizer_config.json'));
});

afterAll(async () => {
  await engine.dispose();
});

const base = {
  model,
  messages: [{ role: 'user', content: 'Once upon a time' }],
  max_tokens: 12,
  ignore_eos: true,
  return_token_ids: true,
};

async function complete(params: Record<string, unknown>, target = engine): Promise<ChatCompletion> {
  return (await target.chat.completions.create({ ...base, ...params })) as ChatCompletion;
}

async function chunks(params: Record<string, unknown>, target = engine): Promise<ChatCompletionChunk[]> {
  const stream = (await target.chat.completions.create({
    ...base,
    ...params,
    stream: true,
  })) as AsyncIterable<ChatCompletionChunk>;
  const out: ChatCompletionChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

const ids = (result: ChatCompletion, choice = 0) => result.choices[choice].token_ids ?? [];
const text = (result: ChatCompletion, choice = 0) => result.choices[choice].message.content ?? '';

/** Does `sequence` occur in `tokens` as a contiguous run? */
function containsRun(tokens: readonly number[], sequence: readonly number[]): boolean {
  for (let i = 0; i + sequence.length <= tokens.length; i++) {
    if (sequence.every((id, j) => tokens[i + j] === id)) return true;
  }
  return false;
}

describe('sampling fields', () => {
  it('top_k = 1 and min_p = 1 equal greedy, whatever the seed and temperature', async () => {
    const greedy = ids(await complete({ temperature: 0 }));
    for (const seed of [1, 2, 3]) {
      expect(ids(await complete({ temperature: 1.5, top_k: 1, seed }))).toEqual(greedy);
      expect(ids(await complete({ temperature: 1.5, min_p: 1, seed }))).toEqual(greedy);
    }
    // top_p tiny keeps only the most likely token too.
    expect(ids(await complete({ temperature: 1, top_p: 1e-6, seed: 4 }))).toEqual(greedy);
  });

  it('top_k, top_p and min_p keep every draw inside their set (checked on the raw logprobs)', async () => {
    const request = {
      temperature: 1,
      n: 4,
      max_tokens: 12,
      logprobs: true,
      top_logprobs: 20,
      return_tokens_as_token_ids: true,
    };
    for (const seed of [1, 2]) {
      for (const [field, value] of [
        ['top_k', 3],
        ['top_p', 0.5],
        ['min_p', 0.3],
      ] as const) {
        const result = await complete({ ...request, seed, [field]: value });
        for (const choice of result.choices) {
          for (const entry of choice.logprobs?.content ?? []) {
            const rank = entry.top_logprobs.findIndex((alternative) => alternative.token === entry.token);
            expect(rank, `${field} drew a token outside the top 20`).toBeGreaterThanOrEqual(0);
            if (field === 'top_k') expect(rank).toBeLessThan(value);
            if (field === 'min_p')
              expect(entry.logprob).toBeGreaterThanOrEqual(
                Math.log(value) + entry.top_logprobs[0].logprob - 1e-6,
              );
            if (field === 'top_p') {
              const above = entry.top_logprobs
                .slice(0, rank)
                .reduce((sum, alternative) => sum + Math.exp(alternative.logprob), 0);
              expect(above).toBeLessThan(value + 1e-6);
            }
          }
        }
      }
    }
  });

  it('allowed_token_ids is never violated, over many seeds and choices', async () => {
    const allowed = [5, 40, 41, 99, 200, 322];
    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((seed) =>
        complete({ temperature: 1.8, seed, n: 4, max_tokens: 10, allowed_token_ids: allowed }),
      ),
    );
    const seen = new Set<number>();
    for (const result of results) {
      for (const choice of result.choices) {
        for (const id of choice.token_ids ?? []) {
          expect(allowed).toContain(id);
          seen.add(id);
        }
      }
    }
    // Sampling does use the freedom it has.
    expect(seen.size).toBeGreaterThan(2);
    // Greedy takes the most likely allowed token.
    expect(ids(await complete({ temperature: 0, allowed_token_ids: [77] }))).toEqual(new Array(12).fill(77));
  });

  it('bad_words are never generated, as written or with a leading space', async () => {
    // Ban words the model actually says: two-token pieces of its free-running output.
    const free = await complete({ temperature: 0, max_tokens: 16 });
    const freeIds = ids(free);
    const words = [tokenizer.decode(freeIds.slice(2, 4)), tokenizer.decode(freeIds.slice(6, 7))].map((w) =>
      w.trim(),
    );
    expect(words.every((w) => w.length > 0)).toBe(true);
    const banned = words.flatMap((word) => [word, ` ${word}`].map((w) => tokenizer.encode(w)));
    const runs = [
      free,
      ...(await Promise.all(
        [1, 2, 3, 4].map((seed) =>
          complete({ temperature: 1.2, seed, n: 4, max_tokens: 16, bad_words: words }),
        ),
      )),
    ];
    expect(banned.some((sequence) => containsRun(freeIds, sequence))).toBe(true);
    for (const result of runs.slice(1)) {
      for (const choice of result.choices) {
        for (const sequence of banned) expect(containsRun(choice.token_ids ?? [], sequence)).toBe(false);
      }
    }
    const greedy = await complete({ temperature: 0, max_tokens: 16, bad_words: words });
    for (const sequence of banned) expect(containsRun(ids(greedy), sequence)).toBe(false);
  });

  it('a seeded request repeats exactly, and each of n choices has its own stream', async () => {
    const params = { temperature: 1.2, seed: 1234, n: 4, max_tokens: 16 };
    const a = await complete(params);
    const b = await complete(params);
    expect(a.choices.map((c) => c.token_ids)).toEqual(b.choices.map((c) => c.token_ids));
    expect(new Set(a.choices.map((c) => JSON.stringify(c.token_ids))).size).toBe(4);
    // Choice i draws from seed + i: choice 0 is the n = 1 answer, choice 2 the answer for seed + 2.
    expect(ids(await complete({ ...params, n: 1 }))).toEqual(ids(a, 0));
    expect(ids(await complete({ ...params, n: 1, seed: 1236 }))).toEqual(ids(a, 2));
    // Another seed, another output.
    expect(ids(await complete({ ...params, seed: 99 }))).not.toEqual(ids(a));
  });

  it('min_tokens holds off EOS and stop token ids', async () => {
    // A large bias makes EOS the likely next token at every step.
    const eager = { temperature: 0, ignore_eos: false, logit_bias: { [EOS]: 30 }, max_tokens: 20 };
    const early = await complete(eager);
    expect(early.usage?.completion_tokens).toBe(1);
    expect(early.choices[0].finish_reason).toBe('stop');
    const held = await complete({ ...eager, min_tokens: 6 });
    expect(held.usage?.completion_tokens).toBe(7);
    expect(ids(held).slice(0, 6)).not.toContain(EOS);
    expect(held.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: null });
    // The same for a stop token id, which is reported as the stop_reason.
    const stopId = 77;
    const viaStop = await complete({
      temperature: 0,
      logit_bias: { [stopId]: 30 },
      stop_token_ids: [stopId],
      min_tokens: 4,
    });
    expect(ids(viaStop)).toEqual([...ids(viaStop).slice(0, 4), stopId]);
    expect(ids(viaStop).slice(0, 4)).not.toContain(stopId);
    expect(viaStop.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: stopId });
  });

  it('logit_bias of +100 forces a token and -100 removes one', async () => {
    for (const seed of [1, 2]) {
      expect(ids(await complete({ temperature: 1, seed, logit_bias: { '123': 100 } }))).toEqual(
        new Array(12).fill(123),
      );
    }
    const greedy = ids(await complete({ temperature: 0 }));
    const first = greedy[0];
    const without = ids(await complete({ temperature: 0, logit_bias: { [first]: -100 } }));
    expect(without).not.toContain(first);
  });

  it('presence and frequency penalties: greedy picks the best raw logprob minus the penalty', async () => {
    // Raw logprobs differ from logits by a constant per step, so the penalized argmax can be checked
    // against the top 20 alternatives the response reports.
    const params = {
      temperature: 0,
      max_tokens: 24,
      logprobs: true,
      top_logprobs: 20,
      return_tokens_as_token_ids: true,
    };
    const plain = ids(await complete(params));
    for (const [field, perCount, once] of [
      ['frequency_penalty', 0.7, 0],
      ['presence_penalty', 0, 0.7],
    ] as const) {
      const result = await complete({ ...params, [field]: perCount + once });
      const tokens = ids(result);
      expect(tokens, field).not.toEqual(plain);
      const content = result.choices[0].logprobs?.content ?? [];
      let steered = 0;
      content.forEach((entry, step) => {
        const counts = new Map<number, number>();
        for (const id of tokens.slice(0, step)) counts.set(id, (counts.get(id) ?? 0) + 1);
        const score = (token: string, logprob: number) => {
          const count = counts.get(Number(token.slice('token_id:'.length))) ?? 0;
          return logprob - perCount * count - (count > 0 ? once : 0);
        };
        const chosen = score(entry.token, entry.logprob);
        for (const alternative of entry.top_logprobs) {
          expect(chosen).toBeGreaterThanOrEqual(score(alternative.token, alternative.logprob) - 1e-5);
        }
        if (entry.token !== entry.top_logprobs[0].token) steered++;
      });
      expect(steered, field).toBeGreaterThan(0);
    }
  });

  it('repetition_penalty steers greedy decoding away from prompt and output tokens', async () => {
    const params = { temperature: 0, max_tokens: 24, return_token_ids: true };
    const plain = await complete(params);
    const penalized = await complete({ ...params, repetition_penalty: 3 });
    const prompt = new Set(plain.prompt_token_ids);
    const reused = (tokens: readonly number[]) =>
      tokens.filter((id, i) => prompt.has(id) || tokens.indexOf(id) < i).length;
    expect(ids(penalized)).not.toEqual(ids(plain));
    expect(reused(ids(penalized))).toBeLessThan(reused(ids(plain)));
  });
});

describe('logprobs', () => {
  it('top logprobs are sorted and consistent with the chosen token', async () => {
    for (const params of [{ temperature: 0 }, { temperature: 1.3, seed: 8 }]) {
      const request = { ...params, logprobs: true, top_logprobs: 5, max_tokens: 16 };
      const result = await complete(request);
      const byId = await complete({ ...request, return_tokens_as_token_ids: true });
      expect(ids(byId)).toEqual(ids(result));
      const content = result.choices[0].logprobs?.content ?? [];
      expect(content).toHaveLength(16);
      content.forEach((entry, i) => {
        const top = entry.top_logprobs;
        expect(top).toHaveLength(5);
        for (let j = 1; j < top.length; j++) expect(top[j].logprob).toBeLessThanOrEqual(top[j - 1].logprob);
        expect(entry.logprob).toBeLessThanOrEqual(top[0].logprob);
        expect(entry.logprob).toBeLessThanOrEqual(0);
        expect(entry.token).toBe(tokenizer.tokenText(ids(result)[i]));
        expect(entry.bytes).toEqual(Array.from(tokenizer.tokenBytes(ids(result)[i])));
        // Tokens may share a text (partial characters): match alternatives by id.
        const named = byId.choices[0].logprobs!.content![i];
        expect(named.token).toBe(`token_id:${ids(result)[i]}`);
        const listed = named.top_logprobs.find((alternative) => alternative.token === named.token);
        if (listed) expect(listed.logprob).toBeCloseTo(entry.logprob, 6);
        // Greedy: the chosen token is the top one.
        if (params.temperature === 0) expect(named.top_logprobs[0].token).toBe(named.token);
      });
    }
  });

  it('return_tokens_as_token_ids names tokens by id', async () => {
    const result = await complete({
      temperature: 0,
      logprobs: true,
      top_logprobs: 2,
      return_tokens_as_token_ids: true,
    });
    const content = result.choices[0].logprobs?.content ?? [];
    expect(content.map((entry) => entry.token)).toEqual(ids(result).map((id) => `token_id:${id}`));
    expect(content[0].top_logprobs[0].token).toMatch(/^token_id:\d+$/);
  });
});

describe('text output', () => {
  it('a stop string split across tokens never reaches the stream', async () => {
    const free = await complete({ temperature: 0, max_tokens: 24 });
    const tokens = ids(free);
    const full = text(free);
    // Token boundaries in the text, then a 3-character stop that starts inside one token and ends in another.
    const ends = tokens.map((_, i) => tokenizer.decode(tokens.slice(0, i + 1)).length);
    const start = ends.findIndex((end, i) => i > 1 && end - ends[i - 1] >= 2) - 1;
    expect(start).toBeGreaterThan(0);
    const from = ends[start] - 1; // the last character of token `start`
    const stop = full.slice(from, from + 3);
    expect(full.indexOf(stop)).toBe(from);
    const streamed = await chunks({ temperature: 0, max_tokens: 24, stop: [stop] });
    const pieces = streamed.map((c) => c.choices[0]?.delta.content ?? '');
    expect(pieces.join('')).toBe(full.slice(0, from));
    expect(streamed.at(-1)?.choices[0]).toMatchObject({ finish_reason: 'stop', stop_reason: stop });
    // Every prefix of what was streamed is a prefix of the answer: nothing was sent and taken back.
    let sent = '';
    for (const piece of pieces) {
      sent += piece;
      expect(full.slice(0, from).startsWith(sent)).toBe(true);
    }
  });

  it('skip_special_tokens decides whether special tokens appear in the text', async () => {
    // A bias makes <|im_start|> (special, not EOS) likely; the seed mixes it with ordinary tokens.
    const params = { temperature: 1, seed: 1, logit_bias: { [IM_START]: 8 }, max_tokens: 20 };
    const kept = await complete({ ...params, skip_special_tokens: false });
    const skipped = await complete(params);
    expect(ids(kept)).toEqual(ids(skipped));
    expect(ids(kept)).toContain(IM_START);
    // spaces_between_special_tokens defaults to true, as vLLM documents it.
    expect(text(kept)).toBe(tokenizer.decode(ids(kept), { spacesBetweenSpecialTokens: true }));
    expect(text(kept)).toContain('<|im_start|>');
    expect(text(skipped)).toBe(tokenizer.decode(ids(kept), { skipSpecialTokens: true }));
    expect(text(skipped)).not.toContain('<|im_start|>');
  });

  it('spaces_between_special_tokens puts a space around kept special tokens', async () => {
    const params = {
      temperature: 1,
      seed: 1,
      logit_bias: { [IM_START]: 8 },
      max_tokens: 20,
      skip_special_tokens: false,
    };
    const spaced = await complete(params);
    const tight = await complete({ ...params, spaces_between_special_tokens: false });
    expect(text(spaced)).toBe(tokenizer.decode(ids(spaced), { spacesBetweenSpecialTokens: true }));
    expect(text(spaced)).toContain(' <|im_start|>');
    expect(text(tight)).toBe(tokenizer.decode(ids(tight)));
    const streamed = await chunks(params);
    expect(streamed.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(text(spaced));
  });
});

describe('prompt and limits', () => {
  it('truncate_prompt_tokens keeps the last k prompt tokens (or the first, truncation_side right)', async () => {
    const whole = await complete({ max_tokens: 2 });
    const prompt = whole.prompt_token_ids ?? [];
    expect(prompt.length).toBeGreaterThan(10);
    const left = await complete({ max_tokens: 2, truncate_prompt_tokens: 8 });
    expect(left.prompt_token_ids).toEqual(prompt.slice(-8));
    expect(left.usage?.prompt_tokens).toBe(8);
    const right = await complete({ max_tokens: 2, truncate_prompt_tokens: 8, truncation_side: 'right' });
    expect(right.prompt_token_ids).toEqual(prompt.slice(0, 8));
    // The truncated prompt is what the model sees: the same as sending those ids' text unchanged.
    expect(ids(left)).not.toEqual(ids(whole));
    const all = await complete({ max_tokens: 2, truncate_prompt_tokens: -1 });
    expect(all.prompt_token_ids).toEqual(prompt);
  });
});

describe('streaming', () => {
  it('n > 1 streams every choice under its own index, matching the non-streamed choices', async () => {
    const params = { temperature: 1, seed: 21, n: 3, max_tokens: 10 };
    const whole = await complete(params);
    const streamed = await chunks(params);
    const byIndex = new Map<number, { text: string; ids: number[]; finishes: number; roles: number }>();
    for (const chunk of streamed) {
      expect(chunk.choices.length).toBeLessThanOrEqual(1);
      for (const choice of chunk.choices) {
        const entry = byIndex.get(choice.index) ?? { text: '', ids: [], finishes: 0, roles: 0 };
        if (entry.finishes > 0) throw new Error(`choice ${choice.index} got a chunk after finishing`);
        entry.text += choice.delta.content ?? '';
        entry.ids.push(...(choice.token_ids ?? []));
        if (choice.delta.role === 'assistant') entry.roles++;
        if (choice.finish_reason) entry.finishes++;
        byIndex.set(choice.index, entry);
      }
    }
    expect([...byIndex.keys()].sort()).toEqual([0, 1, 2]);
    for (const [index, entry] of byIndex) {
      expect(entry).toMatchObject({ finishes: 1, roles: 1 });
      expect(entry.text).toBe(text(whole, index));
      expect(entry.ids).toEqual(ids(whole, index));
    }
  });

  it('stream_options: include_usage ends with usage; continuous_usage_stats puts it on every chunk', async () => {
    const plain = await chunks({ temperature: 0, stream_options: { include_usage: true } });
    const last = plain.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ completion_tokens: 12, total_tokens: 12 + last.usage!.prompt_tokens });
    for (const chunk of plain.slice(0, -1)) expect(chunk.usage).toBeNull();

    const continuous = await chunks({
      temperature: 0,
      stream_options: { include_usage: true, continuous_usage_stats: true },
    });
    let previous = 0;
    let tokens = 0;
    for (const chunk of continuous) {
      expect(chunk.usage).toBeTruthy();
      tokens += chunk.choices[0]?.token_ids?.length ?? 0;
      expect(chunk.usage!.completion_tokens).toBe(tokens);
      expect(chunk.usage!.completion_tokens).toBeGreaterThanOrEqual(previous);
      previous = chunk.usage!.completion_tokens;
    }
    expect(previous).toBe(12);
    // Without include_usage there is no usage at all.
    const none = await chunks({ temperature: 0 });
    for (const chunk of none) expect(chunk.usage ?? null).toBeNull();
  });
});

describe('scheduling', () => {
  it('priority: a queued request with a lower value is served first, even when it arrived later', async () => {
    const serial = createEngine({
      models: [{ source: directoryModelSource(dir), runtime: cpuRuntime }],
      scheduler: { maxBatchSequences: 1 },
    });
    await serial.loadModel(model);
    const order: string[] = [];
    const run = (name: string, priority: number) =>
      complete({ temperature: 0, priority, max_tokens: 4 }, serial).then(() => order.push(name));
    // A long request takes the only place in the batch; once it has produced a token, queue three more.
    const busy = (await serial.chat.completions.create({
      ...base,
      temperature: 0,
      max_tokens: 24,
      stream: true,
    })) as AsyncIterable<ChatCompletionChunk>;
    const reader = busy[Symbol.asyncIterator]();
    while (((await reader.next()).value?.choices[0]?.token_ids ?? []).length === 0) {}
    const queued = [run('low', 10), run('high', -10), run('normal', 0)];
    while (!(await reader.next()).value?.choices[0]?.finish_reason) {}
    order.push('busy');
    while (!(await reader.next()).done) {}
    await Promise.all(queued);
    expect(order).toEqual(['busy', 'high', 'normal', 'low']);
    await serial.dispose();
  });
});
