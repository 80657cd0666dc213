/**
 * Float32 -> Q8_0 / Q4_0 blocks, bit for bit as gguf-py's `quants.py` (and ggml's reference
 * `quantize_row_q8_0_ref` / `quantize_row_q4_0_ref`) produce them.
 *
 * - Q8_0: blocks of 32 values -> f16 scale `d = max|x| / 127`, then 32 int8 `round(x / d)`
 *   (34 bytes). Rounding is half away from zero, as C's `roundf`.
 * - Q4_0: blocks of 32 values -> f16 scale `d = x[argmax |x|] / -8`, then 16 bytes of 4-bit
 *   `q = min(15, trunc(x / d + 8.5))`; byte j holds q[j] in its low and q[j + 16] in its high nibble.
 */
import { f32ToF16Bits } from '@cinder/model-format';

export const QK = 32;
const f = Math.fround;

export function quantizeQ8_0(values: Float32Array): Uint8Array {
  const blocks = blockCount(values, 'Q8_0');
  const out = new Uint8Array(blocks * 34);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const x = values.subarray(b * QK, (b + 1) * QK);
    let amax = 0;
    for (let i = 0; i < QK; i++) amax = Math.max(amax, Math.abs(x[i]));
    const d = f(amax / 127);
    const id = d === 0 ? 0 : f(1 / d);
    view.setUint16(b * 34, f32ToF16Bits(d), true);
    for (let i = 0; i < QK; i++) view.setInt8(b * 34 + 2 + i, roundHalfAway(f(x[i] * id)));
  }
  return out;
}

export function quantizeQ4_0(values: Float32Array): Uint8Array {
  const blocks = blockCount(values, 'Q4_0');
  const out = new Uint8Array(blocks * 18);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const x = values.subarray(b * QK, (b + 1) * QK);
    let max = 0;
    for (let i = 0; i < QK; i++) if (Math.abs(x[i]) > Math.abs(max)) max = x[i];
    const d = f(max / -8);
    const id = d === 0 ? 0 : f(1 / d);
    view.setUint16(b * 18, f32ToF16Bits(d), true);
    const q = (i: number) => Math.min(15, Math.trunc(x[i] * id + 8.5)); // in float64, as gguf-py
    for (let j = 0; j < QK / 2; j++) out[b * 18 + 2 + j] = q(j) | (q(j + QK / 2) << 4);
  }
  return out;
}

function roundHalfAway(v: number): number {
  return Math.sign(v) * Math.floor(Math.abs(v) + 0.5);
}

function blockCount(values: Float32Array, type: string): number {
  if (values.length % QK !== 0) {
    throw new RangeError(`${type} needs a multiple of ${QK} values, got ${values.length}`);
  }
  return values.length / QK;
}
