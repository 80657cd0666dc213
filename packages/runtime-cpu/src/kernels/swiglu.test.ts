import { expect, it } from 'vitest';
import { silu, swiglu } from './swiglu.ts';

it('silu is x * sigmoid(x)', () => {
  expect(silu(0)).toBe(0);
  expect(silu(1)).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  expect(silu(-2)).toBeCloseTo(-2 / (1 + Math.exp(2)), 12);
  expect(silu(100)).toBe(100);
  expect(silu(-1000)).toBe(-0); // exp overflows to Infinity: the limit, not NaN
});

it('swiglu multiplies silu(gate) by up elementwise, in place too', () => {
  const gate = new Float32Array([0, 1, -2]);
  const up = new Float32Array([5, 2, 3]);
  const out = new Float32Array(3);
  swiglu(out, gate, up);
  expect([...out]).toEqual([0, 2 * silu(1), 3 * silu(-2)].map(Math.fround));
  swiglu(gate, gate, up);
  expect([...gate]).toEqual([...out]);
});
