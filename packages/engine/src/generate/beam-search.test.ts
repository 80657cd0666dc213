/**
 * Beam search on the CPU runtime, checked against exhaustive search: with three allowed tokens and
 * three beams, every two-token continuation survives the first step, so the beams returned must be
 * the three best of all nine sequences, scored as vLLM does.
 */
import { ensureFixture } from '@cinder/fixtures';
import { directoryModelSource } from '@cinder/host-node';
import type { ChatCompletion, ChatCompletionChunk } from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type LocalEngine } from '../index.ts';
import type { Runtime } from '../runtime/runtime.ts';

const model = 'tiny-smollm2';
const allowed = [40, 70, 101];
let engine: LocalEngine;
let runtime: Runtime;

beforeAll(async () => {
  const dir = await ensureFixture(model);
  engine = createEngine({ models: [{ source: directoryModelSource(dir), runtime: cpuRuntime }] });
  runtime = await cpuRuntime.load(directoryModelSource(dir));
});

const request = {
  model,
  messages: [{ role: 'user', content: 'Pick two letters.' }],
  use_beam_search: true,
  n: 3,
  max_tokens: 2,
  ignore_eos: true,
  allowed_token_ids: allowed,
  return_token_ids: true,
};

/** log-softmax over the allowed ids only (the allowed_token_ids processor masks the rest). */
async function allowedLogprobs(tokens: number[]): Promise<Map<number, number>> {
  const sequence = runtime.createSequence();
  const [{ logits }] = await runtime.step([{ sequence, tokens, logits: 'last' }]);
  runtime.release(sequence);
  const max = Math.max(...allowed.map((id) => logits[id]));
  const lse = max + Math.log(allowed.reduce((sum, id) => sum + Math.exp(logits[id] - max), 0));
  return new Map(allowed.map((id) => [id, logits[id] - lse]));
}

describe('beam search', () => {
  it('returns the best beams of an exhaustive search, in score order', async () => {
    const result = (await engine.chat.completions.create(request)) as ChatCompletion;
    const prompt = result.prompt_token_ids!;
    const scored: Array<{ tokens: number[]; score: number }> = [];
    const first = await allowedLogprobs(prompt);
    for (const a of allowed) {
      const second = await allowedLogprobs([...prompt, a]);
      for (const b of allowed) {
        scored.push({ tokens: [a, b], score: (first.get(a)! + second.get(b)!) / (prompt.length + 2) });
      }
    }
    scored.sort((x, y) => y.score - x.score);
    expect(result.choices.map((choice) => choice.token_ids)).toEqual(scored.slice(0, 3).map((s) => s.tokens));
    expect(result.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    for (const choice of result.choices) expect(choice.finish_reason).toBe('length');
    expect(result.usage?.completion_tokens).toBe(6);
  });

  it('streams the beams as chunks with a finish per choice', async () => {
    const stream = (await engine.chat.completions.create({
      ...request,
      stream: true,
    })) as AsyncIterable<ChatCompletionChunk>;
    const whole = (await engine.chat.completions.create(request)) as ChatCompletion;
    const texts = ['', '', ''];
    const finishes = [0, 0, 0];
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        texts[choice.index] += choice.delta.content ?? '';
        if (choice.finish_reason) finishes[choice.index]++;
      }
    }
    expect(texts).toEqual(whole.choices.map((choice) => choice.message.content));
    expect(finishes).toEqual([1, 1, 1]);
  });
});
