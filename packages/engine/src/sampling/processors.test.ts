import { describe, expect, test } from 'vitest';
import { allowedTokensProcessor } from './allowed-tokens.ts';
import { badWordsProcessor } from './bad-words.ts';
import { logitBiasProcessor } from './logit-bias.ts';
import { minPProcessor } from './min-p.ts';
import { minTokensProcessor } from './min-tokens.ts';
import { penaltiesProcessor } from './penalties.ts';
import { temperatureProcessor } from './temperature.ts';
import { topKProcessor } from './top-k.ts';
import type { LogitsProcessor, SamplingContext } from './types.ts';

const NEG = Number.NEGATIVE_INFINITY;

function run(
  processor: LogitsProcessor,
  logits: number[],
  generatedIds: number[] = [],
  promptIds: number[] = [],
) {
  const row = Float32Array.from(logits);
  const context: SamplingContext = { promptIds, generatedIds, step: generatedIds.length };
  processor.apply(row, context);
  return Array.from(row);
}

describe('simple processors', () => {
  test('temperature divides', () => {
    expect(run(temperatureProcessor(0.5), [1, -2, 0])).toEqual([2, -4, 0]);
    expect(run(temperatureProcessor(2), [1, -2, NEG])).toEqual([0.5, -1, NEG]);
  });

  test('logit_bias adds to the listed ids only', () => {
    expect(
      run(
        logitBiasProcessor(
          new Map([
            [1, 100],
            [2, -100],
            [9, 5],
          ]),
        ),
        [0, 1, 2],
      ),
    ).toEqual([0, 101, -98]);
  });

  test('min_tokens bans end tokens until enough are generated', () => {
    const processor = minTokensProcessor(2, [0, 2, 2]);
    expect(run(processor, [1, 1, 1], [])).toEqual([NEG, 1, NEG]);
    expect(run(processor, [1, 1, 1], [1])).toEqual([NEG, 1, NEG]);
    expect(run(processor, [1, 1, 1], [1, 1])).toEqual([1, 1, 1]);
  });

  test('allowed_token_ids removes everything else', () => {
    expect(run(allowedTokensProcessor([3, 1, 1, 99]), [5, 4, 3, 2, 1])).toEqual([NEG, 4, NEG, 2, NEG]);
  });

  test('min_p keeps tokens with p >= min_p * p_max', () => {
    const probs = [0.5, 0.3, 0.12, 0.05, 0.03];
    const logits = probs.map(Math.log);
    // threshold 0.2 * 0.5 = 0.1: keeps 0.5, 0.3, 0.12.
    const out = run(minPProcessor(0.2), logits);
    expect(out.map((v) => v !== NEG)).toEqual([true, true, true, false, false]);
    expect(run(minPProcessor(1), [1, 3, 3]).map((v) => v !== NEG)).toEqual([false, true, true]);
  });

  test('top_k keeps the k highest, ties with the k-th included', () => {
    expect(run(topKProcessor(2), [1, 4, 3, 2]).map((v) => v !== NEG)).toEqual([false, true, true, false]);
    expect(run(topKProcessor(2), [1, 4, 3, 3]).map((v) => v !== NEG)).toEqual([false, true, true, true]);
    expect(run(topKProcessor(10), [1, 2])).toEqual([1, 2]);
  });
});

describe('penalties (vLLM semantics)', () => {
  test('presence and frequency count generated tokens only', () => {
    const processor = penaltiesProcessor({ presencePenalty: 0.5, frequencyPenalty: 0.25 });
    // token 1 generated twice, token 2 once, token 3 only in the prompt.
    expect(run(processor, [0, 0, 0, 0], [1, 2, 1], [3])).toEqual([0, -1, -0.75, 0]);
  });

  test('repetition penalty covers prompt and generated tokens, by sign', () => {
    const processor = penaltiesProcessor({ repetitionPenalty: 2 });
    expect(run(processor, [4, -4, 4, -4, 4], [1, 1], [0, 3])).toEqual([2, -8, 4, -8, 4]);
  });

  test('counts are incremental and rebuilt when a new sequence starts', () => {
    const processor = penaltiesProcessor({ frequencyPenalty: 1 });
    const generated: number[] = [];
    const prompt = [0];
    const step = () => {
      const row = new Float32Array(3);
      processor.apply(row, { promptIds: prompt, generatedIds: generated, step: generated.length });
      return Array.from(row);
    };
    expect(step()).toEqual([0, 0, 0]);
    generated.push(1);
    expect(step()).toEqual([0, -1, 0]);
    generated.push(1, 2);
    expect(step()).toEqual([0, -2, -1]);
    generated.length = 0;
    generated.push(2);
    expect(step()).toEqual([0, 0, -1]);
  });
});

describe('bad words', () => {
  const processor = badWordsProcessor([[4], [1, 2, 3], [2, 2]]);
  test('single-token words are always banned', () => {
    expect(run(processor, [0, 0, 0, 0, 0], [])[4]).toBe(NEG);
  });
  test('the last token is banned only after the rest of the word', () => {
    // [1, 2] completes the prefix of [1, 2, 3] (bans 3) and of [2, 2] (bans 2).
    expect(run(processor, [0, 0, 0, 0, 0], [0, 1, 2])).toEqual([0, 0, NEG, NEG, NEG]);
    expect(run(processor, [0, 0, 0, 0, 0], [1, 3])).toEqual([0, 0, 0, 0, NEG]);
    expect(run(processor, [0, 0, 0, 0, 0], [2])).toEqual([0, 0, NEG, 0, NEG]);
    expect(run(processor, [0, 0, 0, 0, 0], [1])).toEqual([0, 0, 0, 0, NEG]);
    // The prompt does not count.
    expect(run(processor, [0, 0, 0, 0, 0], [], [1, 2])).toEqual([0, 0, 0, 0, NEG]);
  });
});
