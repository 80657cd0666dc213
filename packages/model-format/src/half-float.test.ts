import { describe, expect, it } from 'vitest';
import {
  bf16BitsToF32,
  decodeBf16,
  decodeF16,
  encodeBf16,
  encodeF16,
  f16BitsToF32,
  f32ToBf16Bits,
  f32ToF16Bits,
} from './half-float.ts';

const allPatterns = new Uint16Array(65536).map((_, i) => i);
const bytesOf = (halves: Uint16Array) => new Uint8Array(halves.buffer);

describe('f16', () => {
  it('decodes every bit pattern like the scalar formula', () => {
    const decoded = decodeF16(bytesOf(allPatterns));
    const wrong = [...allPatterns].filter((h) => !Object.is(decoded[h], Math.fround(f16BitsToF32(h))));
    expect(wrong).toEqual([]);
  });

  it('decodes known values', () => {
    const halves = new Uint16Array([
      0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x0400, 0x8000, 0x7c00, 0xfc00, 0x7e00,
    ]);
    const decoded = [...decodeF16(bytesOf(halves))];
    expect(decoded.slice(0, 6)).toEqual([1, -2, 65504, 2 ** -24, 1023 * 2 ** -24, 2 ** -14]);
    expect(Object.is(decoded[6], -0)).toBe(true);
    expect(decoded.slice(7, 9)).toEqual([Infinity, -Infinity]);
    expect(decoded[9]).toBeNaN();
  });

  it('round-trips every non-NaN pattern through f32', () => {
    const isNaNBits = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
    const wrong = [...allPatterns].filter((h) => {
      const back = f32ToF16Bits(f16BitsToF32(h));
      return isNaNBits(h) ? !isNaNBits(back) : back !== h;
    });
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest, ties to even', () => {
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even (down)
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (up)
    expect(f32ToF16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01); // just above the tie
    expect(f32ToF16Bits(65519)).toBe(0x7bff);
    expect(f32ToF16Bits(65520)).toBe(0x7c00); // overflows to Infinity
    expect(f32ToF16Bits(-1e9)).toBe(0xfc00);
    expect(f32ToF16Bits(2 ** -25)).toBe(0x0000); // halfway to the smallest subnormal -> even (zero)
    expect(f32ToF16Bits(1.5 * 2 ** -25)).toBe(0x0001);
    expect(f32ToF16Bits(3 * 2 ** -25)).toBe(0x0002); // subnormal tie -> even
    expect(f32ToF16Bits(2 ** -14 - 2 ** -26)).toBe(0x0400); // rounds up into the smallest normal
    expect(f32ToF16Bits(1e-10)).toBe(0x0000);
    expect(f32ToF16Bits(-0)).toBe(0x8000);
    expect(f16BitsToF32(f32ToF16Bits(Number.NaN))).toBeNaN();
  });

  it('encodes arrays like the scalar conversion', () => {
    const values = new Float32Array([0.1, -3.5, 1e-6, 70000, Number.NaN]);
    const halves = new Uint16Array(encodeF16(values).buffer);
    expect([...halves]).toEqual([...values].map(f32ToF16Bits));
  });
});

describe('bf16', () => {
  it('decodes every bit pattern as the top half of a float32', () => {
    const decoded = decodeBf16(bytesOf(allPatterns));
    const bits = new Uint32Array(decoded.buffer);
    expect([...allPatterns].filter((h) => bits[h] !== h * 65536)).toEqual([]);
    expect(bf16BitsToF32(0x3f80)).toBe(1);
  });

  it('round-trips every non-NaN pattern through f32', () => {
    const isNaNBits = (h: number) => (h & 0x7f80) === 0x7f80 && (h & 0x7f) !== 0;
    const wrong = [...allPatterns].filter((h) => {
      const back = f32ToBf16Bits(bf16BitsToF32(h));
      return isNaNBits(h) ? !isNaNBits(back) : back !== h;
    });
    expect(wrong).toEqual([]);
  });

  it('rounds to nearest, ties to even', () => {
    expect(f32ToBf16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie -> even (down)
    expect(f32ToBf16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie -> even (up)
    expect(f32ToBf16Bits(1 + 2 ** -8 + 2 ** -20)).toBe(0x3f81);
    expect(f32ToBf16Bits(3.4028234663852886e38)).toBe(0x7f80); // max float rounds to Infinity
    expect(f32ToBf16Bits(-Infinity)).toBe(0xff80);
    expect(f32ToBf16Bits(2 ** -149)).toBe(0x0000); // f32 subnormals round like any other bits
    expect(bf16BitsToF32(f32ToBf16Bits(Number.NaN))).toBeNaN();
    const values = new Float32Array([0.1, -3.5, 1e-40]);
    expect([...new Uint16Array(encodeBf16(values).buffer)]).toEqual([...values].map(f32ToBf16Bits));
  });
});

it('decodes misaligned byte views', () => {
  const bytes = new Uint8Array(5);
  bytes.set(bytesOf(new Uint16Array([0x3c00, 0x4000])), 1);
  expect([...decodeF16(bytes.subarray(1))]).toEqual([1, 2]);
});
