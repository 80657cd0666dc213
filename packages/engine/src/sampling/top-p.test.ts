import { describe, expect, test } from 'vitest';
import { createRng } from './rng.ts';
import { topPProcessor } from './top-p.ts';

const NEG = Number.NEGATIVE_INFINITY;
const ctx = { promptIds: [], generatedIds: [], step: 0 };

function kept(p: number, logits: ArrayLike<number>): number[] {
  const row = Float32Array.from(logits);
  topPProcessor(p).apply(row, ctx);
  return Array.from(row.keys()).filter((i) => row[i] !== NEG);
}

/**
 * Reference: sort everything (value desc, id asc); keep a token when the mass ranked above it
 * is < p. Returns the kept ids and, per id, how close its decision was (for float-borderline cases).
 */
function reference(p: number, row: Float32Array) {
  const ids = Array.from(row.keys())
    .filter((i) => row[i] !== NEG)
    .sort((a, b) => row[b] - row[a] || a - b);
  const max = row[ids[0]];
  const weights = ids.map((i) => Math.exp(row[i] - max));
  const total = weights.reduce((a, b) => a + b, 0);
  const keptIds: number[] = [];
  const margin = new Map<number, number>();
  let above = 0;
  ids.forEach((id, j) => {
    if (above < p * total) keptIds.push(id);
    margin.set(id, Math.abs(above - p * total) / total);
    above += weights[j];
  });
  return { kept: keptIds.sort((a, b) => a - b), margin };
}

describe('top-p', () => {
  test('keeps the smallest set reaching p', () => {
    const logits = [0.5, 0.3, 0.15, 0.05].map(Math.log);
    expect(kept(0.4, logits)).toEqual([0]);
    expect(kept(0.75, logits)).toEqual([0, 1]);
    expect(kept(0.85, logits)).toEqual([0, 1, 2]);
    expect(kept(0.99, logits)).toEqual([0, 1, 2, 3]);
    expect(kept(1, logits)).toEqual([0, 1, 2, 3]);
    // The top token always stays, even for a tiny p.
    expect(kept(1e-9, logits)).toEqual([0]);
  });

  test('tokens far below the top (huge negative biases) are handled', () => {
    expect(kept(0.9, [0, -1e30, -3e9, 0])).toEqual([0, 3]);
    expect(kept(0.999999, [0, -1e30, -3e9, -200])).toEqual([0]);
  });

  test('ties rank lower ids first; masked tokens stay masked', () => {
    expect(kept(0.5, [1, 1, 1, 1])).toEqual([0, 1]);
    expect(kept(0.6, [1, 1, 1, 1])).toEqual([0, 1, 2]);
    expect(kept(0.5, [NEG, 2, NEG, 2])).toEqual([1]);
    expect(kept(0.5, [NEG, NEG])).toEqual([]);
  });

  test('matches a full sort on random rows (vocab-sized, with ties and masks)', () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 30; trial++) {
      const n = trial < 2 ? 151_936 : 2000;
      const spread = [1, 5, 20, 200][trial % 4];
      const row = Float32Array.from({ length: n }, () => {
        const u = rng.nextFloat();
        if (u < 0.05) return NEG;
        return Math.round(rng.nextFloat() * spread * 64) / 64; // many ties
      });
      for (const p of [0.05, 0.5, 0.9, 0.999]) {
        const expected = reference(p, row);
        const expectedSet = new Set(expected.kept);
        const actualSet = new Set(kept(p, row));
        const differing = [...actualSet, ...expectedSet].filter(
          (id) => actualSet.has(id) !== expectedSet.has(id),
        );
        // Only decisions within float rounding of the boundary may differ.
        for (const id of differing) expect(expected.margin.get(id)!).toBeLessThan(1e-9);
      }
    }
  });
});
