import { describe, expect, it } from 'vitest';
import { attention } from './attention.ts';

describe('attention', () => {
  it('returns the value itself over a single position', () => {
    const shape = { numHeads: 1, numKvHeads: 1, headDim: 2 };
    const out = new Float32Array(2);
    attention(
      out,
      new Float32Array([3, -1]),
      new Float32Array([1, 2]),
      new Float32Array([5, 6]),
      1,
      shape,
      new Float32Array(4),
    );
    expect([...out]).toEqual([5, 6]);
  });

  it('weights values by softmax(q.k / sqrt(headDim)) over the cached positions only', () => {
    const shape = { numHeads: 1, numKvHeads: 1, headDim: 4 };
    const q = new Float32Array([2, 0, 0, 0]);
    // position 0: q.k = 0, position 1: q.k = 2 * ln(3) so the scaled score is ln(3); position 2 is not cached yet.
    const keys = new Float32Array([0, 0, 0, 0, Math.log(3), 0, 0, 0, 100, 0, 0, 0]);
    const values = new Float32Array([1, 0, 0, 0, 0, 1, 0, 0, 9, 9, 9, 9]);
    const out = new Float32Array(4);
    attention(out, q, keys, values, 2, shape, new Float32Array(3));
    expect(out[0]).toBeCloseTo(0.25, 6); // weights 1/(1+3) and 3/(1+3)
    expect(out[1]).toBeCloseTo(0.75, 6);
    expect(out[2]).toBe(0);
  });

  it('shares each key/value head among a group of query heads (GQA)', () => {
    // 4 query heads, 2 kv heads, headDim 1: heads 0-1 read kv head 0, heads 2-3 read kv head 1.
    const shape = { numHeads: 4, numKvHeads: 2, headDim: 1 };
    const q = new Float32Array([0, 0, 0, 0]); // equal scores: a plain average of the values
    const keys = new Float32Array([1, 1, 1, 1]); // 2 positions x kvDim 2
    const values = new Float32Array([10, 20, 30, 40]); // position 0: [10, 20], position 1: [30, 40]
    const out = new Float32Array(4);
    attention(out, q, keys, values, 2, shape, new Float32Array(2));
    expect([...out]).toEqual([20, 20, 30, 30]);
  });
});
