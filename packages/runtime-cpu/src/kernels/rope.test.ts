import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../testing/random-model.ts';
import { rope, ropeCosSin, ropeInvFreq } from './rope.ts';

function rotate(x: number[], pos: number, invFreq: Float32Array, numHeads = 1): number[] {
  const headDim = x.length / numHeads;
  const cos = new Float32Array(headDim / 2);
  const sin = new Float32Array(headDim / 2);
  ropeCosSin(cos, sin, invFreq, pos);
  const out = new Float32Array(x);
  rope(out, numHeads, headDim, cos, sin);
  return [...out];
}

const dot = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i], 0);

describe('ropeInvFreq', () => {
  it('is theta^(-2i/d) without scaling', () => {
    expect([...ropeInvFreq(4, 10000, null)]).toEqual([1, 0.01].map(Math.fround));
    expect([...ropeInvFreq(8, 10000, { type: 'linear', factor: 2 })]).toEqual(
      [0.5, 0.05, 0.005, 0.0005].map(Math.fround),
    );
  });

  it('applies llama3 scaling as transformers does (Llama 3.2 parameters)', () => {
    const scaling = {
      type: 'llama3',
      factor: 32,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 8192,
    } as const;
    const scaled = ropeInvFreq(64, 500000, scaling);
    const plain = ropeInvFreq(64, 500000, null);
    // Reference values: numpy float32, following _compute_llama3_parameters step by step.
    const expected: [number, number][] = [
      [0, 1.0], // high frequency (wavelen 2pi < 2048): unchanged
      [10, 0.016560440883040428],
      [14, 0.0032114461064338684], // wavelen 1956: still unchanged
      [15, 0.0012905480107292533], // wavelen 2948: blended
      [16, 0.000429556705057621],
      [17, 9.708286233944818e-5], // wavelen 6695: blended
      [18, 0.0006227724370546639 / 32], // wavelen 10089 > 8192: divided by factor
      [31, 9.41830720080361e-8],
    ];
    for (const [i, value] of expected)
      expect(scaled[i]).toBeCloseTo(value, 12 - Math.ceil(-Math.log10(value)));
    for (let i = 0; i < 32; i++) {
      const wavelen = (2 * Math.PI) / plain[i];
      if (wavelen < 2048) expect(scaled[i]).toBe(plain[i]);
      if (wavelen > 8192) expect(scaled[i]).toBe(Math.fround(plain[i] / 32));
      if (wavelen >= 2048 && wavelen <= 8192)
        expect(scaled[i] < plain[i] && scaled[i] > plain[i] / 32).toBe(true);
    }
  });
});

describe('rope', () => {
  const invFreq = ropeInvFreq(4, 10000, null); // [1, 0.01]

  it('rotates element i with element i + headDim/2 (rotate_half), not adjacent pairs', () => {
    const [c, s] = [Math.cos(1), Math.sin(1)].map(Math.fround);
    expect(rotate([1, 0, 0, 0], 1, invFreq)).toEqual([c, 0, s, 0]);
    expect(rotate([0, 0, 1, 0], 1, invFreq)).toEqual([-s, 0, c, 0]);
    const [c2, s2] = [Math.cos(invFreq[1]), Math.sin(invFreq[1])].map(Math.fround);
    expect(rotate([0, 1, 0, 0], 1, invFreq)).toEqual([0, c2, 0, s2]);
  });

  it('is the identity at position 0 and rotates every head alike', () => {
    expect(rotate([1, 2, 3, 4], 0, invFreq)).toEqual([1, 2, 3, 4]);
    const twoHeads = rotate([1, 2, 3, 4, 1, 2, 3, 4], 5, invFreq, 2);
    expect(twoHeads.slice(4)).toEqual(twoHeads.slice(0, 4));
    expect(twoHeads.slice(0, 4)).toEqual(rotate([1, 2, 3, 4], 5, invFreq));
  });

  it('keeps norms, and q.k depends only on the distance between positions', () => {
    const random = mulberry32(3);
    const freqs = ropeInvFreq(16, 10000, null);
    const q = Array.from({ length: 16 }, () => random() - 0.5);
    const k = Array.from({ length: 16 }, () => random() - 0.5);
    expect(dot(rotate(q, 7, freqs), rotate(q, 7, freqs))).toBeCloseTo(dot(q, q), 5);
    const near = dot(rotate(q, 10, freqs), rotate(k, 7, freqs));
    const far = dot(rotate(q, 103, freqs), rotate(k, 100, freqs));
    expect(near).toBeCloseTo(far, 4);
  });
});
