/**
 * float32 rows -> the GPU storage formats of format.ts, and back (the "dequantized reference"
 * that quantized runs are compared with). Quantization is symmetric per group of 32:
 * scale = f16(max|w| / qmax), q = clamp(round(w / scale), -qmax, qmax), qmax = 127 (q8) or 7 (q4);
 * so the dequantized weight q * scale is exact in float32.
 */
import { f16BitsToF32, f32ToF16Bits } from '@cinder/model-format';
import { GROUP_SIZE, rowGroups, rowWords, type WeightDtype } from './format.ts';

export interface EncodedRows {
  readonly data: Uint32Array;
  /** f16 bits of each group's scale, row-major (empty for float formats). */
  readonly scales: Uint16Array;
}

const QMAX = { q8: 127, q4: 7 } as const;

/** Encodes `values` (rows x cols, row-major) in `dtype`. */
export function encodeRows(dtype: WeightDtype, values: Float32Array, cols: number): EncodedRows {
  const rows = values.length / cols;
  const words = rowWords(dtype, cols);
  const data = new Uint32Array(rows * words);
  if (dtype === 'f32') {
    data.set(new Uint32Array(values.buffer, values.byteOffset, values.length));
    return { data, scales: new Uint16Array(0) };
  }
  if (dtype === 'f16') {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c += 2) {
        const lo = toF16(values[r * cols + c]);
        const hi = c + 1 < cols ? toF16(values[r * cols + c + 1]) : 0;
        data[r * words + c / 2] = (lo | (hi << 16)) >>> 0;
      }
    }
    return { data, scales: new Uint16Array(0) };
  }
  const groups = rowGroups(dtype, cols);
  const scales = new Uint16Array(rows * groups);
  const qmax = QMAX[dtype];
  const q = new Int32Array(GROUP_SIZE);
  for (let r = 0; r < rows; r++) {
    for (let g = 0; g < groups; g++) {
      const start = r * cols + g * GROUP_SIZE;
      const count = Math.min(GROUP_SIZE, cols - g * GROUP_SIZE);
      let amax = 0;
      for (let i = 0; i < count; i++) amax = Math.max(amax, Math.abs(values[start + i]));
      const scaleBits = f32ToF16Bits(amax / qmax);
      const scale = f16BitsToF32(scaleBits);
      scales[r * groups + g] = scaleBits;
      q.fill(0);
      if (scale > 0) {
        for (let i = 0; i < count; i++) {
          q[i] = Math.max(-qmax, Math.min(qmax, Math.round(values[start + i] / scale)));
        }
      }
      const base = r * words + g * (dtype === 'q8' ? 8 : 4);
      if (dtype === 'q8') {
        for (let i = 0; i < GROUP_SIZE; i++) data[base + (i >> 2)] |= (q[i] & 0xff) << ((i & 3) * 8);
      } else {
        for (let i = 0; i < GROUP_SIZE; i++) data[base + (i >> 3)] |= (q[i] + 8) << ((i & 7) * 4);
      }
    }
  }
  return { data, scales };
}

/** The float32 values the GPU sees for encoded rows (rows x cols). */
export function decodeRows(dtype: WeightDtype, encoded: EncodedRows, cols: number): Float32Array {
  const words = rowWords(dtype, cols);
  const rows = encoded.data.length / words;
  const out = new Float32Array(rows * cols);
  const groups = rowGroups(dtype, cols);
  const asF32 = new Float32Array(encoded.data.buffer, encoded.data.byteOffset, encoded.data.length);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const base = r * words;
      let value: number;
      if (dtype === 'f32') {
        value = asF32[base + c];
      } else if (dtype === 'f16') {
        value = f16BitsToF32((encoded.data[base + (c >> 1)] >>> ((c & 1) * 16)) & 0xffff);
      } else {
        const scale = f16BitsToF32(encoded.scales[r * groups + Math.floor(c / GROUP_SIZE)]);
        const word = encoded.data[base + (dtype === 'q8' ? c >> 2 : c >> 3)];
        const q =
          dtype === 'q8' ? ((word >>> ((c & 3) * 8)) << 24) >> 24 : ((word >>> ((c & 7) * 4)) & 15) - 8;
        value = q * scale;
      }
      out[r * cols + c] = value;
    }
  }
  return out;
}

/** f16 bits of a value; a finite value beyond the f16 range (|x| > 65504) is an error, not Infinity. */
function toF16(value: number): number {
  const bits = f32ToF16Bits(value);
  if ((bits & 0x7c00) === 0x7c00 && Number.isFinite(value)) {
    throw new RangeError(`the value ${value} does not fit in f16 (|x| <= 65504)`);
  }
  return bits;
}

/** Packs f16 scale bits two per word (index 2i in the low half); an odd count is zero-padded. */
export function packScales(scales: Uint16Array): Uint32Array {
  const words = new Uint32Array(Math.ceil(scales.length / 2));
  for (let i = 0; i < scales.length; i++) words[i >> 1] |= scales[i] << ((i & 1) * 16);
  return words;
}
