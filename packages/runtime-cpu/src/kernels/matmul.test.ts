import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/random-model.ts';
import { matmul, matmulNaive } from './matmul.ts';

describe('matmul', () => {
  it('computes W x + b by hand', () => {
    // W = [[1, 2, 3], [4, 5, 6]] (out 2, in 3), x = [1, 0, -1], b = [0.5, -0.5]
    const w = new Float32Array([1, 2, 3, 4, 5, 6]);
    const x = new Float32Array([1, 0, -1]);
    for (const kernel of [matmul, matmulNaive]) {
      const out = new Float32Array(2);
      kernel(out, x, w, 3, 2);
      expect([...out]).toEqual([-2, -2]);
      kernel(out, x, w, 3, 2, new Float32Array([0.5, -0.5]));
      expect([...out]).toEqual([-1.5, -2.5]);
    }
  });

  it('fast version matches the naive one on odd shapes', () => {
    const random = mulberry32(7);
    for (const [inDim, outDim] of [
      [1, 1],
      [5, 3],
      [16, 4],
      [17, 9],
      [64, 30],
    ]) {
      const w = new Float32Array(inDim * outDim).map(() => random() - 0.5);
      const x = new Float32Array(inDim).map(() => random() - 0.5);
      const bias = new Float32Array(outDim).map(() => random());
      const expected = new Float32Array(outDim);
      const actual = new Float32Array(outDim);
      matmulNaive(expected, x, w, inDim, outDim, bias);
      matmul(actual, x, w, inDim, outDim, bias);
      expect([...actual]).toEqual([...expected]);
    }
  });
});
