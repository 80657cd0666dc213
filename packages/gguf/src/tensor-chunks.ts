/**
 * A safetensors tensor as float32 chunks of whole rows, each read with its own range request, so
 * converting a large embedding (Llama 3.2 1B: 128256 x 2048) never holds the whole tensor.
 */
import {
  decodeBf16,
  decodeF16,
  decodeF32,
  ModelFormatError,
  type ModelSource,
  readRange,
  type TensorInfo,
} from '@cinder/model-format';

/** About 8 MB of float32 per chunk. */
export const CHUNK_ELEMENTS = 2 * 1024 * 1024;

const DECODERS: Readonly<Record<string, { bytes: number; decode: (b: Uint8Array) => Float32Array }>> = {
  F32: { bytes: 4, decode: decodeF32 },
  F16: { bytes: 2, decode: decodeF16 },
  BF16: { bytes: 2, decode: decodeBf16 },
};

export async function* tensorRowChunks(
  source: ModelSource,
  tensor: TensorInfo,
  signal?: AbortSignal,
  chunkElements = CHUNK_ELEMENTS,
): AsyncGenerator<Float32Array> {
  const decoder = DECODERS[tensor.dtype];
  if (!decoder) {
    throw new ModelFormatError(
      `Tensor ${tensor.name} has dtype ${tensor.dtype}; only F32, F16 and BF16 convert`,
    );
  }
  const rows = tensor.shape.length > 1 ? tensor.shape[0] : 1;
  const rowBytes = tensor.byteLength / rows;
  const rowsPerChunk = Math.max(1, Math.floor(chunkElements / (rowBytes / decoder.bytes)));
  for (let row = 0; row < rows; row += rowsPerChunk) {
    const start = tensor.offset + row * rowBytes;
    const end = tensor.offset + Math.min(rows, row + rowsPerChunk) * rowBytes;
    const bytes = await readRange(source, tensor.file, start, end, signal);
    if (!bytes) throw new ModelFormatError(`Model ${source.id} lost ${tensor.file} (tensor ${tensor.name})`);
    yield decoder.decode(bytes);
  }
}
