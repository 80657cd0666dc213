/** Float32 values -> the bytes of one GGUF tensor type. */
import { encodeBf16, encodeF16, encodeF32 } from '@cinder/model-format';
import type { GgmlTypeName } from './gguf-types.ts';
import { quantizeQ4_0, quantizeQ8_0 } from './quantize.ts';

export function encodeTensor(type: GgmlTypeName, values: Float32Array): Uint8Array {
  switch (type) {
    case 'F32':
      return encodeF32(values);
    case 'F16':
      return encodeF16(values);
    case 'BF16':
      return encodeBf16(values);
    case 'Q8_0':
      return quantizeQ8_0(values);
    case 'Q4_0':
      return quantizeQ4_0(values);
  }
}
