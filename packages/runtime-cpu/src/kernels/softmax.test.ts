import { expect, it } from 'vitest';
import { softmax } from './softmax.ts';

it('softmax matches exp / sum', () => {
  const x = new Float32Array([1, 2, 3]);
  softmax(x);
  const e = [Math.exp(1), Math.exp(2), Math.exp(3)];
  const sum = e[0] + e[1] + e[2];
  for (const [i, value] of x.entries()) expect(value).toBeCloseTo(e[i] / sum, 7);
});

it('softmax subtracts the max, so large scores do not overflow', () => {
  const x = new Float32Array([1000, 1001, -Infinity]);
  softmax(x);
  expect(x[0]).toBeCloseTo(1 / (1 + Math.E), 6);
  expect(x[1]).toBeCloseTo(Math.E / (1 + Math.E), 6);
  expect(x[2]).toBe(0);
});

it('softmax touches only the first `size` values', () => {
  const x = new Float32Array([0, 0, 42]);
  softmax(x, 2);
  expect([...x]).toEqual([0.5, 0.5, 42]);
});
