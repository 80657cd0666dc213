import { f16BitsToF32 } from '@cinder/model-format';
import { describe, expect, it } from 'vitest';
import { dequantize } from './dequantize.ts';
import { quantizeQ4_0, quantizeQ8_0 } from './quantize.ts';

const ramp = Float32Array.from({ length: 32 }, (_, i) => i - 16); // -16 .. 15

function scale(bytes: Uint8Array, at = 0): number {
  return f16BitsToF32(bytes[at] | (bytes[at + 1] << 8));
}

describe('Q8_0', () => {
  it('stores d = max|x| / 127 as f16 and round(x / d), half away from zero', () => {
    const bytes = quantizeQ8_0(ramp);
    expect(bytes).toHaveLength(34);
    expect(scale(bytes)).toBeCloseTo(16 / 127, 4);
    const q = new Int8Array(bytes.buffer, 2, 32);
    expect(q[0]).toBe(-127); // the largest magnitude maps to ±127
    expect(q[16]).toBe(0);
    // 1 * 127/16 = 7.9375 -> 8; 2 * 127/16 = 15.875 -> 16
    expect([q[17], q[18]]).toEqual([8, 16]);
  });

  it('round-trips within half a step, and zeros exactly', () => {
    const values = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 7)));
    const bytes = quantizeQ8_0(values);
    const back = dequantize('Q8_0', bytes);
    for (let b = 0; b < 8; b++) {
      const d = scale(bytes, b * 34);
      for (let i = b * 32; i < b * 32 + 32; i++)
        expect(Math.abs(back[i] - values[i])).toBeLessThanOrEqual(d * 0.57);
    }
    expect([...dequantize('Q8_0', quantizeQ8_0(new Float32Array(32)))]).toEqual(new Array(32).fill(0));
  });

  it('refuses rows that are not whole blocks', () => {
    expect(() => quantizeQ8_0(new Float32Array(33))).toThrow(/multiple of 32/);
  });
});

describe('Q4_0', () => {
  it('stores d = x[argmax |x|] / -8 and packs q[j] | q[j + 16] << 4', () => {
    const bytes = quantizeQ4_0(ramp);
    expect(bytes).toHaveLength(18);
    expect(scale(bytes)).toBe(2); // max |x| is -16 -> d = -16 / -8
    // q = min(15, trunc(x / 2 + 8.5)): x = -16 -> 0, x = 0 -> 8
    expect(bytes[2] & 0x0f).toBe(0);
    expect(bytes[2] >> 4).toBe(8);
    const back = dequantize('Q4_0', bytes);
    for (let i = 0; i < 32; i++) expect(Math.abs(back[i] - ramp[i])).toBeLessThanOrEqual(1);
  });
});

describe('dequantize', () => {
  it('reads F32, F16 and BF16', () => {
    const f32 = new Float32Array([1.5, -2, 0.1]);
    expect(dequantize('F32', new Uint8Array(f32.buffer))).toEqual(f32);
    expect([...dequantize('F16', new Uint8Array([0x00, 0x3c, 0x00, 0xc0]))]).toEqual([1, -2]);
    expect([...dequantize('BF16', new Uint8Array([0x80, 0x3f]))]).toEqual([1]);
  });
});
