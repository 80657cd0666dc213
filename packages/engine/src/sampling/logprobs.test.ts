import { describe, expect, test } from 'vitest';
import { computeLogprobs, logSoftmax, logSumExp, tokenLogprob, topLogprobs } from './logprobs.ts';

describe('logprobs', () => {
  test('log-softmax sums to one and is shift invariant', () => {
    const row = Float32Array.of(1, 2, 3, 4);
    const out = logSoftmax(row);
    expect(Array.from(out).reduce((s, v) => s + Math.exp(v), 0)).toBeCloseTo(1, 6);
    const shifted = logSoftmax(Float32Array.of(1001, 1002, 1003, 1004));
    out.forEach((v, i) => {
      expect(shifted[i]).toBeCloseTo(v, 4);
    });
    expect(logSumExp(Float32Array.of(-Infinity, -Infinity))).toBe(-Infinity);
  });

  test('top-N in order, ties to the lower id, with the chosen token', () => {
    const probs = [0.1, 0.4, 0.1, 0.3, 0.1];
    const row = Float32Array.from(probs.map(Math.log));
    const top = topLogprobs(row, 3);
    expect(top.map((t) => t.id)).toEqual([1, 3, 0]);
    for (const t of top) expect(Math.exp(t.logprob)).toBeCloseTo(probs[t.id], 6);
    expect(topLogprobs(row, 0)).toEqual([]);
    expect(topLogprobs(row, 20)).toHaveLength(5);
    const { logprob, top: top2 } = computeLogprobs(row, 4, 2);
    expect(Math.exp(logprob)).toBeCloseTo(0.1, 6);
    expect(top2.map((t) => t.id)).toEqual([1, 3]);
    expect(tokenLogprob(row, 1)).toBeCloseTo(Math.log(0.4), 6);
  });

  test('a masked token has logprob -Infinity', () => {
    const row = Float32Array.of(0, -Infinity);
    expect(tokenLogprob(row, 1)).toBe(-Infinity);
    expect(tokenLogprob(row, 0)).toBe(0);
  });
});
