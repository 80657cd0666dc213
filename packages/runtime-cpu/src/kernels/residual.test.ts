import { expect, it } from 'vitest';
import { residual } from './residual.ts';

it('residual adds in place', () => {
  const x = new Float32Array([1, 2]);
  residual(x, new Float32Array([0.5, -2]));
  expect([...x]).toEqual([1.5, 0]);
});
