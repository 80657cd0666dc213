import { expect, it } from 'vitest';
import { embedding } from './embedding.ts';

const table = new Float32Array([0, 1, 10, 11, 20, 21]); // 3 tokens x 2 dims

it('embedding copies the token row', () => {
  const out = new Float32Array(2);
  embedding(out, table, 2, 2);
  expect([...out]).toEqual([20, 21]);
  embedding(out, table, 0, 2);
  expect([...out]).toEqual([0, 1]);
});

it('embedding rejects ids outside the table', () => {
  const out = new Float32Array(2);
  expect(() => embedding(out, table, 3, 2)).toThrow('Token id 3 is outside the vocabulary [0, 3)');
  expect(() => embedding(out, table, -1, 2)).toThrow(RangeError);
  expect(() => embedding(out, table, 1.5, 2)).toThrow(RangeError);
});
