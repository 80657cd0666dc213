import { describe, expect, test } from 'vitest';
import { createRng, xoshiro128ss } from './rng.ts';

describe('rng', () => {
  test('xoshiro128** matches the reference implementation', () => {
    const rng = xoshiro128ss(Uint32Array.of(1, 2, 3, 4));
    const out = Array.from({ length: 8 }, () => rng.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849]);
  });

  test('the same seed gives the same stream; different seeds differ', () => {
    const draw = (seed: number | bigint) => {
      const rng = createRng(seed);
      return Array.from({ length: 16 }, () => rng.nextFloat());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).toEqual(draw(42n));
    expect(draw(42)).not.toEqual(draw(43));
    // The whole 64-bit range is usable and distinct (2^63 - 1 and -2^63 differ from each other and from 0).
    const big = draw((1n << 63n) - 1n);
    const negative = draw(-(1n << 63n));
    expect(big).toEqual(draw((1n << 63n) - 1n));
    expect(big).not.toEqual(negative);
    expect(draw(-1)).not.toEqual(draw(1));
    expect(draw(0)).not.toEqual(draw(1));
  });

  test('no seed: independent random streams', () => {
    expect(createRng().nextFloat()).not.toBe(createRng().nextFloat());
  });

  test('floats are uniform in [0, 1)', () => {
    const rng = createRng(7);
    const bins = new Array(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.nextFloat();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const count of bins) expect(Math.abs(count / n - 0.1)).toBeLessThan(0.005);
  });

  test('rejects non-integer seeds', () => {
    expect(() => createRng(1.5)).toThrow(RangeError);
  });
});
