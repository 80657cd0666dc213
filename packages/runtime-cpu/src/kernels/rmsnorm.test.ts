import { expect, it } from 'vitest';
import { rmsnorm, rmsnormHeads } from './rmsnorm.ts';

it('rmsnorm divides by the root mean square and scales by the weight', () => {
  const x = new Float32Array([1, 2, 3, 4]); // mean of squares = 7.5
  const out = new Float32Array(4);
  rmsnorm(out, x, new Float32Array([1, 1, 2, 0.5]), 0.5); // 1 / sqrt(7.5 + 0.5) = 1 / sqrt(8)
  const r = 1 / Math.sqrt(8);
  expect([...out]).toEqual([1 * r, 2 * r, 3 * 2 * r, 4 * 0.5 * r].map(Math.fround));
});

it('rmsnorm works in place', () => {
  const x = new Float32Array([3, -4]);
  rmsnorm(x, x, new Float32Array([1, 1]), 0);
  expect(x[0]).toBeCloseTo(3 / Math.sqrt(12.5), 6);
  expect(x[1]).toBeCloseTo(-4 / Math.sqrt(12.5), 6);
});

it('rmsnormHeads normalises each head separately with the shared weight', () => {
  const x = new Float32Array([1, 2, 3, 4, 10, 0, 0, 0]);
  const weight = new Float32Array([1, 2, 1, 2]);
  const expected = new Float32Array(8);
  rmsnorm(expected.subarray(0, 4), x.subarray(0, 4), weight, 1e-6);
  rmsnorm(expected.subarray(4, 8), x.subarray(4, 8), weight, 1e-6);
  rmsnormHeads(x, weight, 2, 1e-6);
  expect([...x]).toEqual([...expected]);
  expect(x[4]).toBeCloseTo(2, 5); // 10 / sqrt(100 / 4)
});
