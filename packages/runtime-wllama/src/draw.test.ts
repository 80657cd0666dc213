import type { DeviceSampling } from '@cinder/engine';
import { describe, expect, it } from 'vitest';
import { type Candidate, drawToken } from './draw.ts';

const draw = (over: Partial<DeviceSampling>): DeviceSampling => ({
  temperature: 1,
  topK: 0,
  topP: 1,
  uniform: 0,
  logprob: false,
  topLogprobs: 0,
  ...over,
});

/** Probabilities 0.5, 0.25, 0.125, 0.125 on ids 7, 3, 9, 1. */
const candidates: Candidate[] = [
  { id: 7, logprob: Math.log(0.5) },
  { id: 3, logprob: Math.log(0.25) },
  { id: 9, logprob: Math.log(0.125) },
  { id: 1, logprob: Math.log(0.125) },
];

describe('drawToken', () => {
  it('is greedy below the greedy temperature, ties to the lowest id', () => {
    expect(drawToken(candidates, draw({ temperature: 0 }))).toBe(7);
    const tied = [
      { id: 4, logprob: -1 },
      { id: 2, logprob: -1 },
    ];
    expect(drawToken(tied, draw({ temperature: 0 }))).toBe(2);
  });

  it('inverts the CDF in id order', () => {
    // id order 1 (0.125), 3 (0.25), 7 (0.5), 9 (0.125)
    expect(drawToken(candidates, draw({ uniform: 0.1 }))).toBe(1);
    expect(drawToken(candidates, draw({ uniform: 0.2 }))).toBe(3);
    expect(drawToken(candidates, draw({ uniform: 0.5 }))).toBe(7);
    expect(drawToken(candidates, draw({ uniform: 0.9 }))).toBe(9);
  });

  it('applies top-k, then top-p on the tempered mass', () => {
    // top-k 2 keeps 7 and 3: weights 2/3 and 1/3 in id order 3, 7.
    expect(drawToken(candidates, draw({ topK: 2, uniform: 0.3 }))).toBe(3);
    expect(drawToken(candidates, draw({ topK: 2, uniform: 0.34 }))).toBe(7);
    // top-p 0.5 keeps only 7 (the mass above 3 is already 0.5).
    expect(drawToken(candidates, draw({ topP: 0.5, uniform: 0.99 }))).toBe(7);
    // top-p 0.6 keeps 7 and 3.
    expect(drawToken(candidates, draw({ topP: 0.6, uniform: 0.99 }))).toBe(7);
    expect(drawToken(candidates, draw({ topP: 0.6, uniform: 0.1 }))).toBe(3);
    // A low temperature sharpens: at T = 0.1 id 7 takes nearly all the mass.
    expect(drawToken(candidates, draw({ temperature: 0.1, uniform: 0.5 }))).toBe(7);
  });
});
