/** GGUF tensor bytes -> Float32Array, for F32, F16, BF16, Q8_0 and Q4_0. */
import { decodeBf16, decodeF16, decodeF32, f16BitsToF32 } from '@cinder/model-format';
import { GGML_TYPES, type GgmlTypeName } from './gguf-types.ts';
import { QK } from './quantize.ts';

export function dequantize(type: GgmlTypeName, bytes: Uint8Array): Float32Array {
  switch (type) {
    case 'F32':
      return decodeF32(bytes).slice();
    case 'F16':
      return decodeF16(bytes);
    case 'BF16':
      return decodeBf16(bytes);
    case 'Q8_0':
      return dequantizeBlocks(bytes, type, (view, at, out) => {
        const d = f16BitsToF32(view.getUint16(at, true));
        for (let i = 0; i < QK; i++) out[i] = d * view.getInt8(at + 2 + i);
      });
    case 'Q4_0':
      return dequantizeBlocks(bytes, type, (view, at, out) => {
        const d = f16BitsToF32(view.getUint16(at, true));
        for (let j = 0; j < QK / 2; j++) {
          const byte = view.getUint8(at + 2 + j);
          out[j] = ((byte & 0x0f) - 8) * d;
          out[j + QK / 2] = ((byte >> 4) - 8) * d;
        }
      });
  }
}

function dequantizeBlocks(
  bytes: Uint8Array,
  type: 'Q8_0' | 'Q4_0',
  block: (view: DataView, at: number, out: Float32Array) => void,
): Float32Array {
  const { blockBytes } = GGML_TYPES[type];
  if (bytes.length % blockBytes !== 0) {
    throw new RangeError(`${type} data has ${bytes.length} bytes, not whole ${blockBytes}-byte blocks`);
  }
  const blocks = bytes.length / blockBytes;
  const out = new Float32Array(blocks * QK);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < blocks; b++) block(view, b * blockBytes, out.subarray(b * QK, (b + 1) * QK));
  return out;
}
