import { describe, expect, test } from 'vitest';
import { Candidates } from './candidates.ts';
import { expNonPositive } from './fast-exp.ts';
import { createRng, type Rng } from './rng.ts';
import { TruncatedDraw, type TruncationOptions } from './truncated-draw.ts';

const NEG = Number.NEGATIVE_INFINITY;

/**
 * The distribution by the book: scale (float32, as the temperature processor stores it), mask
 * below min_p, keep the top k (ties with the k-th kept), sort everything for top_p, softmax.
 * Also returns, per token, how close its top_p decision was to the boundary.
 */
function reference(row: Float32Array, options: TruncationOptions) {
  const { temperature, minP, topK, topP } = options;
  const inverse = 1 / temperature;
  const s = row.map((x) => x * inverse); // a Float32Array: stored as float32, like the processor
  const finite: number[] = [];
  for (let i = 0; i < s.length; i++) if (s[i] > NEG) finite.push(i);
  let kept = finite;
  if (kept.length === 0) return { probs: new Map<number, number>(), margin: new Map<number, number>() };
  const max = kept.reduce((m, i) => Math.max(m, s[i]), NEG);
  if (minP > 0) kept = kept.filter((i) => s[i] >= max + Math.log(minP));
  if (topK > 0 && topK < row.length && kept.length >= topK) {
    const kth = Float32Array.from(kept, (i) => s[i])
      .sort()
      .reverse()[topK - 1];
    kept = kept.filter((i) => s[i] >= kth);
  }
  const weight = (i: number) => Math.exp(s[i] - max);
  const margin = new Map<number, number>();
  if (topP < 1) {
    const ranked = [...kept].sort((a, b) => s[b] - s[a] || a - b);
    const total = ranked.reduce((sum, i) => sum + weight(i), 0);
    let above = 0;
    kept = [];
    for (const i of ranked) {
      if (above < topP * total || kept.length === 0) kept.push(i);
      margin.set(i, Math.abs(above - topP * total) / total);
      above += weight(i);
    }
  }
  const total = kept.reduce((sum, i) => sum + weight(i), 0);
  return { probs: new Map(kept.map((i) => [i, weight(i) / total])), margin };
}

function prepared(row: Float32Array, options: TruncationOptions): Map<number, number> {
  const draw = new TruncatedDraw(options, new Candidates());
  if (!draw.prepare(row)) return new Map();
  return draw.probabilities();
}

/** Rows of several shapes: flat with ties, peaked, a long tail far below the top, masked ids. */
function makeRow(rng: Rng, n: number, shape: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const u = rng.nextFloat();
    if (u < 0.03) return NEG;
    if (shape === 0) return Math.round(rng.nextFloat() * 8 * 16) / 16; // flat, many ties
    if (shape === 1) return u < 0.01 ? 10 + rng.nextFloat() * 6 : (rng.nextFloat() - 0.5) * 6; // peaked
    return i === 7 ? 0 : -10 - rng.nextFloat() * 8; // one top token and a long tail
  });
}

function expectSameDistribution(row: Float32Array, options: TruncationOptions) {
  const expected = reference(row, options);
  const actual = prepared(row, options);
  const wrong: string[] = [];
  for (const id of new Set([...expected.probs.keys(), ...actual.keys()])) {
    const e = expected.probs.get(id) ?? 0;
    const a = actual.get(id) ?? 0;
    // Only a top_p decision within float rounding of the boundary may differ.
    const borderline = (e === 0) !== (a === 0) && (expected.margin.get(id) ?? 1) < 1e-9;
    if (!borderline && Math.abs(a - e) > 1e-9 * Math.max(e, 1e-6)) wrong.push(`${id}: ${a} vs ${e}`);
  }
  expect(wrong, JSON.stringify(options)).toEqual([]);
}

describe('fast exp', () => {
  test('within 3e-14 of Math.exp, 0 far below, exact at 0', () => {
    const rng = createRng(1);
    let worst = 0;
    let belowNonZero = 0;
    for (let i = 0; i < 100_000; i++) {
      const z = -rng.nextFloat() * 110;
      if (z < -104) belowNonZero += expNonPositive(z);
      else worst = Math.max(worst, Math.abs(expNonPositive(z) / Math.exp(z) - 1));
    }
    expect(worst).toBeLessThan(3e-14);
    expect(belowNonZero).toBe(0);
    expect(expNonPositive(0)).toBe(1);
    expect(expNonPositive(NEG)).toBe(0);
    expect(expNonPositive(1)).toBe(Math.E);
  });
});

describe('truncated draw', () => {
  const grid: TruncationOptions[] = [];
  for (const temperature of [0.3, 1, 1.7])
    for (const minP of [0, 0.05])
      for (const topK of [0, 1, 7, 300])
        for (const topP of [1, 0.5, 0.95]) grid.push({ temperature, minP, topK, topP });

  test('the same distribution as the processors one after the other', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 6; trial++) {
      const row = makeRow(rng, 3000, trial % 3);
      for (const options of grid) expectSameDistribution(row, options);
    }
  });

  test('at a full vocabulary, including top_p beyond the head', () => {
    const rng = createRng(12);
    const peaked = makeRow(rng, 151_936, 1);
    expectSameDistribution(peaked, { temperature: 0.8, minP: 0, topK: 0, topP: 0.95 });
    expectSameDistribution(peaked, { temperature: 0.8, minP: 0.05, topK: 50, topP: 0.9 });
    // The head (within 12 of the top) holds ~93% of the mass: top_p 0.95 needs the second pass.
    const longTail = makeRow(rng, 151_936, 2);
    expectSameDistribution(longTail, { temperature: 1, minP: 0, topK: 0, topP: 0.95 });
    expectSameDistribution(longTail, { temperature: 1, minP: 0, topK: 0, topP: 0.5 });
  });

  test('each token gets an interval of uniforms as wide as its probability, tail included', () => {
    const rng = createRng(13);
    // One top token, a handful near it, and ~150k tokens 12-16 below: the tail holds real mass.
    const row = Float32Array.from({ length: 151_936 }, (_, i) =>
      i % 30_000 === 0 ? -(i / 30_000) : -12 - rng.nextFloat() * 4,
    );
    for (const options of [
      { temperature: 1, minP: 0, topK: 0, topP: 1 },
      { temperature: 1, minP: 0, topK: 0, topP: 0.7 },
      { temperature: 1, minP: 0, topK: 3, topP: 1 },
    ]) {
      const draw = new TruncatedDraw(options, new Candidates());
      draw.prepare(row);
      const probs = draw.probabilities();
      const tailMass = [...probs].filter(([id]) => id % 30_000 !== 0).reduce((s, [, p]) => s + p, 0);
      if (options.topP === 1 && options.topK === 0) expect(tailMass).toBeGreaterThan(0.1);
      const sweeps = 1000;
      const counts = new Map<number, number>();
      for (let k = 0; k < sweeps; k++) {
        const id = draw.draw((k + 0.5) / sweeps);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      for (const id of counts.keys()) expect(probs.has(id)).toBe(true);
      // Each token's share of the sweep is its probability, to one sweep step.
      for (const [id, p] of probs)
        expect(Math.abs((counts.get(id) ?? 0) - p * sweeps)).toBeLessThanOrEqual(1.01);
      let tailCount = 0;
      for (const [id, count] of counts) if (id % 30_000 !== 0) tailCount += count;
      expect(Math.abs(tailCount - tailMass * sweeps)).toBeLessThanOrEqual(probs.size);
    }
  });

  test('masked rows, +Infinity, and ties broken by the lower id', () => {
    const draw = new TruncatedDraw({ temperature: 1, minP: 0, topK: 0, topP: 1 }, new Candidates());
    expect(draw.prepare(Float32Array.of(NEG, NEG))).toBe(false);
    expect(draw.prepare(Float32Array.of(0, Number.POSITIVE_INFINITY, 1))).toBe(true);
    expect(draw.draw(0.3)).toBe(1);
    const topP = new TruncatedDraw({ temperature: 1, minP: 0, topK: 0, topP: 0.5 }, new Candidates());
    topP.prepare(Float32Array.of(1, 1, 1, 1));
    expect([...topP.probabilities().keys()]).toEqual([0, 1]);
    const topK = new TruncatedDraw({ temperature: 1, minP: 0, topK: 2, topP: 1 }, new Candidates());
    topK.prepare(Float32Array.of(1, 3, 2, 2));
    expect([...topK.probabilities().keys()]).toEqual([1, 2, 3]);
  });
});
