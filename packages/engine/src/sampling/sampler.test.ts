import { describe, expect, test } from 'vitest';
import { createRng } from './rng.ts';
import { argmax, sampleCategorical } from './sample.ts';
import { createSampler, type SamplerOptions } from './sampler.ts';
import type { SamplingContext } from './types.ts';

const empty: SamplingContext = { promptIds: [], generatedIds: [], step: 0 };

function histogram(options: SamplerOptions, logits: number[], draws: number, context = empty): number[] {
  const sampler = createSampler(options);
  const counts = new Array(logits.length).fill(0);
  const row = new Float32Array(logits.length);
  for (let i = 0; i < draws; i++) {
    row.set(logits);
    counts[sampler.sample(row, context)]++;
  }
  return counts.map((c) => c / draws);
}

describe('pick', () => {
  test('argmax: ties go to the lowest id, NaN ignored, all -inf gives 0', () => {
    expect(argmax(Float32Array.of(1, 3, 2, 3))).toBe(1);
    expect(argmax(Float32Array.of(Number.NaN, 1, 1))).toBe(1);
    expect(argmax(Float32Array.of(-Infinity, -Infinity))).toBe(0);
  });

  test('categorical never picks a masked token', () => {
    const rng = createRng(5);
    const row = Float32Array.of(-Infinity, 0, -Infinity, 0);
    for (let i = 0; i < 1000; i++) expect([1, 3]).toContain(sampleCategorical(row, rng));
    expect(sampleCategorical(Float32Array.of(-Infinity), rng)).toBe(0);
  });
});

describe('createSampler', () => {
  const probs = [0.5, 0.3, 0.15, 0.05];
  const logits = probs.map(Math.log);

  test('temperature 0 is greedy and skips the random-only processors', () => {
    const sampler = createSampler({ temperature: 0, topP: 0.5, topK: 3, minP: 0.1 });
    expect(sampler.greedy).toBe(true);
    expect(sampler.processors.map((p) => p.name)).toEqual([]);
    expect(sampler.sample(Float32Array.of(0, 2, 2, 1), empty)).toBe(1);
  });

  test('chain order follows vLLM and leaves out no-op steps', () => {
    const sampler = createSampler({
      temperature: 0.7,
      topP: 0.9,
      topK: 40,
      minP: 0.05,
      presencePenalty: 0.1,
      logitBias: new Map([[1, 1]]),
      minTokens: 2,
      eosTokenIds: [0],
      allowedTokenIds: [0, 1],
      badWordsIds: [[2]],
    });
    expect(sampler.processors.map((p) => p.name)).toEqual([
      'allowed-tokens',
      'bad-words',
      'min-tokens',
      'logit-bias',
      'penalties',
      'temperature',
      'min-p',
      'top-k',
      'top-p',
    ]);
    expect(createSampler({ temperature: 1, topP: 1, topK: -1, minP: 0, minTokens: 3 }).processors).toEqual(
      [],
    );
    expect(createSampler({ minTokens: 3, eosTokenIds: [0], ignoreEos: true }).processors).toEqual([]);
  });

  test('the same seed gives the same tokens', () => {
    const run = (seed: number) => {
      const sampler = createSampler({ seed, temperature: 1.3, topP: 0.95 });
      const row = new Float32Array(4);
      return Array.from({ length: 64 }, () => {
        row.set(logits);
        return sampler.sample(row, empty);
      });
    };
    expect(run(1234)).toEqual(run(1234));
    expect(run(1234)).not.toEqual(run(4321));
  });

  test('distribution sanity: frequencies follow the softmax', () => {
    const freq = histogram({ seed: 1 }, logits, 40_000);
    expect(freq.map((f, i) => Math.abs(f - probs[i])).every((d) => d < 0.01)).toBe(true);
  });

  test('temperature, top-p, top-k, min-p reshape the distribution', () => {
    // Temperature 0.5 squares and renormalizes the probabilities.
    const squared = probs.map((p) => p * p);
    const z = squared.reduce((a, b) => a + b, 0);
    const tempered = histogram({ seed: 2, temperature: 0.5 }, logits, 40_000);
    expect(tempered.map((f, i) => Math.abs(f - squared[i] / z)).every((d) => d < 0.01)).toBe(true);
    // top_p 0.75 keeps ids 0 and 1 (0.625 / 0.375).
    const topP = histogram({ seed: 3, topP: 0.75 }, logits, 20_000);
    expect(topP[2] + topP[3]).toBe(0);
    expect(Math.abs(topP[0] - 0.625)).toBeLessThan(0.015);
    // top_k 1 is greedy in effect.
    expect(histogram({ seed: 4, topK: 1 }, logits, 1000)[0]).toBe(1);
    // min_p 0.5 keeps p >= 0.25: ids 0 and 1.
    const minP = histogram({ seed: 5, minP: 0.5 }, logits, 5000);
    expect(minP[2] + minP[3]).toBe(0);
  });

  test('min_tokens, stop ids and ignore_eos', () => {
    const context = { promptIds: [], generatedIds: [1], step: 1 };
    const row = () => Float32Array.of(10, 0, 0);
    expect(createSampler({ temperature: 0, minTokens: 2, eosTokenIds: [0] }).sample(row(), context)).toBe(1);
    expect(
      createSampler({ temperature: 0, minTokens: 2, stopTokenIds: [0], ignoreEos: true }).sample(
        row(),
        context,
      ),
    ).toBe(1);
    expect(
      createSampler({ temperature: 0, minTokens: 2, eosTokenIds: [0], ignoreEos: true }).sample(
        row(),
        context,
      ),
    ).toBe(0);
    expect(createSampler({ temperature: 0, minTokens: 1, eosTokenIds: [0] }).sample(row(), context)).toBe(0);
  });

  test('penalties steer greedy decoding away from repeats', () => {
    const sampler = createSampler({ temperature: 0, frequencyPenalty: 2 });
    const generated: number[] = [];
    for (let step = 0; step < 6; step++) {
      const row = Float32Array.of(3, 2.5, 0);
      generated.push(sampler.sample(row, { promptIds: [], generatedIds: generated, step }));
    }
    // Step 5: counts {0: 2, 1: 2} make 3 - 4 < 2.5 - 4 < 0, so the unused token wins once.
    expect(generated).toEqual([0, 1, 0, 1, 2, 0]);
  });
});

describe('sample: the fused chain equals process + pick', () => {
  /** Two samplers with the same options and seed: one samples fused, the other processor by processor. */
  function compare(options: SamplerOptions, rows: Float32Array[], promptIds: number[]) {
    const fused = createSampler(options);
    const stepwise = createSampler(options);
    const generatedIds: number[] = [];
    for (const [step, row] of rows.entries()) {
      const context = { promptIds, generatedIds, step };
      const a = fused.sample(row.slice(), context);
      const processed = row.slice();
      stepwise.process(processed, context);
      const b = stepwise.pick(processed);
      expect(a, `step ${step} of ${JSON.stringify({ ...options, logitBias: undefined })}`).toBe(b);
      generatedIds.push(a);
    }
    return generatedIds;
  }

  test('token for token with the same seed, every processor on', () => {
    const rng = createRng(21);
    const vocab = 4000;
    // Logits within a few units of each other, so no draw reaches the tail of an untruncated row
    // (where the two walk the tokens in a different order).
    const rows = Array.from({ length: 40 }, () =>
      Float32Array.from({ length: vocab }, () => Math.round((rng.nextFloat() * 3 - 1.5) * 64) / 64),
    );
    const promptIds = Array.from({ length: 200 }, () => Math.floor(rng.nextFloat() * vocab));
    const everything: SamplerOptions = {
      temperature: 0.8,
      topP: 0.9,
      topK: 60,
      minP: 0.05,
      presencePenalty: 0.4,
      frequencyPenalty: 0.3,
      repetitionPenalty: 1.2,
      logitBias: new Map([
        [3, 1],
        [17, -1],
      ]),
      minTokens: 10,
      eosTokenIds: [0],
      stopTokenIds: [1],
      badWordsIds: [[5], [6, 7]],
    };
    for (let seed = 0; seed < 8; seed++) {
      compare({ ...everything, seed }, rows, promptIds);
      compare({ ...everything, seed, topK: 0 }, rows, promptIds);
      compare({ ...everything, seed, minP: 0, topK: 0 }, rows, promptIds);
      compare({ temperature: 1.3, seed }, rows, promptIds);
      compare({ topP: 0.5, seed }, rows, promptIds);
      const allowed = Array.from({ length: 50 }, (_, i) => (i * 37) % vocab);
      const out = compare({ ...everything, seed, allowedTokenIds: allowed }, rows, promptIds);
      for (const id of out) expect(allowed).toContain(id);
      compare({ ...everything, seed, temperature: 0, allowedTokenIds: allowed }, rows, promptIds);
    }
  });

  test('allowed ids and bad words are never violated; all masked gives 0', () => {
    const rng = createRng(22);
    const row = () => Float32Array.from({ length: 500 }, () => rng.nextFloat() * 4);
    for (let seed = 0; seed < 50; seed++) {
      const sampler = createSampler({ seed, allowedTokenIds: [9, 4, 400, 4], badWordsIds: [[4]], topK: 1 });
      expect([9, 400]).toContain(sampler.sample(row(), empty));
    }
    const banned = createSampler({ seed: 1, allowedTokenIds: [2], badWordsIds: [[2]] });
    expect(banned.sample(row(), empty)).toBe(0);
    expect(
      createSampler({ temperature: 0, allowedTokenIds: [2], badWordsIds: [[2]] }).sample(row(), empty),
    ).toBe(0);
    // Allowed ids beyond the vocabulary are ignored.
    expect(createSampler({ temperature: 0, allowedTokenIds: [7, 10_000] }).sample(row(), empty)).toBe(7);
  });
});
