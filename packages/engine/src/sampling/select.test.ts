import { describe, expect, test } from 'vitest';
import { createRng } from './rng.ts';
import { kthLargest, topKIndices } from './select.ts';

describe('partial selection', () => {
  test('top-k ids, sorted, ties to the lower id', () => {
    const values = Float32Array.of(1, 5, 3, 5, -Infinity, 2, 5);
    expect(topKIndices(values, 2)).toEqual([1, 3]);
    expect(topKIndices(values, 4)).toEqual([1, 3, 6, 2]);
    expect(topKIndices(values, 10)).toEqual([1, 3, 6, 2, 5, 0, 4]);
    expect(topKIndices(values, 0)).toEqual([]);
    expect(kthLargest(values, 3)).toBe(5);
    expect(kthLargest(values, 4)).toBe(3);
    expect(kthLargest(Float32Array.of(1), 2)).toBe(-Infinity);
  });

  test('agrees with a full sort on random rows', () => {
    const rng = createRng(1);
    for (let trial = 0; trial < 20; trial++) {
      const values = Float32Array.from({ length: 5000 }, () => Math.round(rng.nextFloat() * 500) / 10);
      const sorted = Array.from(values.keys()).sort((a, b) => values[b] - values[a] || a - b);
      for (const k of [1, 7, 64, 1000]) expect(topKIndices(values, k)).toEqual(sorted.slice(0, k));
    }
  });
});
