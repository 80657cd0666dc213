import { describe, expect, it } from 'vitest';
import { applyBitmask, firstAllowed, isAllowed } from './apply-bitmask.ts';

function maskOf(rows: number, allowed: number[]): Int32Array {
  const mask = new Int32Array(Math.ceil(rows / 32));
  for (const id of allowed) mask[id >> 5] |= 1 << (id & 31);
  return mask;
}

describe('applyBitmask', () => {
  it('keeps allowed logits and sets the rest to -Infinity, across word boundaries', () => {
    const rows = 100;
    const allowed = [0, 31, 32, 63, 64, 99];
    const logits = Float32Array.from({ length: rows }, (_, i) => i);
    applyBitmask(maskOf(rows, allowed), logits);
    for (let id = 0; id < rows; id++) {
      expect(logits[id]).toBe(allowed.includes(id) ? id : Number.NEGATIVE_INFINITY);
    }
  });

  it('handles all-ones and all-zero words, and rows past the mask', () => {
    const mask = new Int32Array([-1, 0]);
    const logits = new Float32Array(70).fill(1);
    applyBitmask(mask, logits);
    expect(logits.slice(0, 32).every((v) => v === 1)).toBe(true);
    expect(logits.slice(32).every((v) => v === Number.NEGATIVE_INFINITY)).toBe(true);
  });

  it('matches a bit-by-bit reference on random masks', () => {
    let state = 7;
    const random = () => {
      state = (state * 1103515245 + 12345) >>> 0;
      return state;
    };
    for (let trial = 0; trial < 20; trial++) {
      const rows = 1 + (random() % 300);
      const mask = Int32Array.from({ length: Math.ceil(rows / 32) }, () => {
        const kind = random() % 3;
        return kind === 0 ? -1 : kind === 1 ? 0 : random() | 0;
      });
      const logits = new Float32Array(rows).fill(2);
      applyBitmask(mask, logits);
      for (let id = 0; id < rows; id++) {
        expect(logits[id] === 2).toBe(isAllowed(mask, id));
      }
    }
  });
});

describe('firstAllowed', () => {
  it('finds the lowest allowed id, or -1', () => {
    expect(firstAllowed(maskOf(100, [77, 40]))).toBe(40);
    expect(firstAllowed(maskOf(100, [31]))).toBe(31);
    expect(firstAllowed(maskOf(100, []))).toBe(-1);
    expect(isAllowed(maskOf(100, [5]), 5)).toBe(true);
    expect(isAllowed(maskOf(100, [5]), 500)).toBe(false);
  });
});
