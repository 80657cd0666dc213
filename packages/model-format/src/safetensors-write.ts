/**
 * Writes a safetensors file from float32 data, storing each tensor as F32, F16 or BF16
 * (rounded to nearest, ties to even). Used to build test and fixture models.
 */
import { ModelFormatError } from './errors.ts';
import { encodeBf16, encodeF16, encodeF32 } from './half-float.ts';

export type WritableDtype = 'F32' | 'F16' | 'BF16';

export interface TensorToWrite {
  readonly dtype: WritableDtype;
  readonly shape: readonly number[];
  /** Row-major values; length must equal the product of `shape`. */
  readonly data: Float32Array;
}

const ENCODERS: Record<WritableDtype, (values: Float32Array) => Uint8Array> = {
  F32: encodeF32,
  F16: encodeF16,
  BF16: encodeBf16,
};

/** Tensors are laid out in the given order; the header is space-padded to a multiple of 8 bytes. */
export function writeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    const elements = tensor.shape.reduce((product, size) => product * size, 1);
    if (tensor.data.length !== elements) {
      throw new ModelFormatError(
        `Tensor ${name}: shape [${tensor.shape.join(', ')}] needs ${elements} values, got ${tensor.data.length}`,
      );
    }
    const encode = ENCODERS[tensor.dtype];
    if (!encode) throw new ModelFormatError(`Tensor ${name}: cannot write dtype ${tensor.dtype}`);
    const bytes = encode(tensor.data);
    header[name] = {
      dtype: tensor.dtype,
      shape: tensor.shape,
      data_offsets: [offset, offset + bytes.length],
    };
    blobs.push(bytes);
    offset += bytes.length;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20); // padded with spaces
  headerBytes.set(json);
  const file = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  file.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const blob of blobs) {
    file.set(blob, position);
    position += blob.length;
  }
  return file;
}
