import { f16BitsToF32, f32ToF16Bits } from '@cinder/model-format';
import { mulberry32 } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { decodeRows, encodeRows, packScales } from './encode.ts';
import { matrixBytes, rowWords } from './format.ts';

const random = mulberry32(8);
const cols = 72; // two full groups of 32 and a partial one
const values = new Float32Array(3 * cols).map(() => (random() - 0.5) * 4);

describe('encodeRows / decodeRows', () => {
  it('f32 is exact and f16 is round-to-nearest', () => {
    expect([...decodeRows('f32', encodeRows('f32', values, cols), cols)]).toEqual([...values]);
    const f16 = decodeRows('f16', encodeRows('f16', values, cols), cols);
    expect([...f16]).toEqual([...values].map((v) => f16BitsToF32(f32ToF16Bits(v))));
  });

  it.each([
    ['q8', 127],
    ['q4', 7],
  ] as const)('%s keeps each weight within half a step of its group scale', (dtype, qmax) => {
    const encoded = encodeRows(dtype, values, cols);
    expect(encoded.data.length).toBe(3 * rowWords(dtype, cols));
    expect(encoded.scales.length).toBe(3 * 3);
    const decoded = decodeRows(dtype, encoded, cols);
    for (let r = 0; r < 3; r++) {
      for (let g = 0; g < 3; g++) {
        const group = values.subarray(r * cols + g * 32, r * cols + Math.min(cols, (g + 1) * 32));
        const scale = f16BitsToF32(encoded.scales[r * 3 + g]);
        expect(scale).toBeCloseTo(Math.max(...group.map(Math.abs)) / qmax, 2);
        group.forEach((v, i) => {
          const q = decoded[r * cols + g * 32 + i] / scale;
          expect(Math.abs(q - Math.round(q))).toBeLessThan(1e-6); // a whole number of steps
          expect(Math.abs(decoded[r * cols + g * 32 + i] - v)).toBeLessThanOrEqual(scale / 2 + 1e-6);
        });
      }
    }
  });

  it('rejects f16 overflow instead of storing Infinity', () => {
    expect(() => encodeRows('f16', new Float32Array([1, 70000, 0, 0]), 4)).toThrow(/does not fit in f16/);
  });

  it('packs scales two per word and sizes matrices with them', () => {
    expect([...packScales(new Uint16Array([1, 2, 3]))]).toEqual([1 | (2 << 16), 3]);
    expect(matrixBytes('q4', 3, cols)).toEqual({ data: 3 * 12 * 4, scales: 20 });
  });
});
