/**
 * Streams one tensor's bytes from its file (a range request, read chunk by chunk from the
 * response body) and yields it as float32 rows in bounded batches, so a 500 MB embedding never
 * sits in JS memory whole. F32, F16 and BF16 tensors (bf16 -> f32 is exact).
 */
import {
  DTYPE_BYTES,
  decodeBf16,
  decodeF16,
  decodeF32,
  ModelFormatError,
  type ModelSource,
  type TensorInfo,
} from '@cinder/model-format';

export interface RowBatch {
  readonly firstRow: number;
  /** rows x cols float32 values; reused after the consumer returns, copy to keep. */
  readonly values: Float32Array;
}

/** Rows of `cols` values per batch, even (quantized scales pair up two groups per word). */
export function batchRows(cols: number, batchBytes: number): number {
  const rows = Math.max(2, Math.floor(batchBytes / (cols * 4)));
  return rows - (rows % 2);
}

export async function* streamTensorRows(
  source: ModelSource,
  tensor: TensorInfo,
  cols: number,
  batchBytes: number,
  signal?: AbortSignal,
): AsyncGenerator<RowBatch> {
  const elementBytes = DTYPE_BYTES[tensor.dtype];
  if (tensor.dtype !== 'F32' && tensor.dtype !== 'F16' && tensor.dtype !== 'BF16') {
    throw new ModelFormatError(
      `Tensor ${tensor.name} has dtype ${tensor.dtype}; only F32, F16 and BF16 load`,
    );
  }
  const rowBytes = cols * elementBytes;
  const totalRows = tensor.byteLength / rowBytes;
  const perBatch = batchRows(cols, batchBytes);
  const staging = new Uint8Array(perBatch * rowBytes);
  const end = tensor.offset + tensor.byteLength;
  const response = await source.file(tensor.file, { range: [tensor.offset, end], signal });
  if (!response?.body)
    throw new ModelFormatError(`Model ${source.id} lost file ${tensor.file} (${tensor.name})`);
  // A server that ignores Range sends the whole file: skip to the tensor.
  let skip = response.status === 200 ? tensor.offset : 0;
  let filled = 0;
  let firstRow = 0;
  const decode = (bytes: Uint8Array): Float32Array =>
    tensor.dtype === 'F16'
      ? decodeF16(bytes)
      : tensor.dtype === 'BF16'
        ? decodeBf16(bytes)
        : decodeF32(bytes);

  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let chunk = value;
      if (skip > 0) {
        const dropped = Math.min(skip, chunk.length);
        chunk = chunk.subarray(dropped);
        skip -= dropped;
      }
      while (chunk.length > 0 && firstRow * rowBytes + filled < tensor.byteLength) {
        const wanted = Math.min(staging.length - filled, tensor.byteLength - firstRow * rowBytes - filled);
        const taken = Math.min(wanted, chunk.length);
        staging.set(chunk.subarray(0, taken), filled);
        filled += taken;
        chunk = chunk.subarray(taken);
        if (filled === staging.length || firstRow * rowBytes + filled === tensor.byteLength) {
          yield { firstRow, values: decode(staging.subarray(0, filled)) };
          firstRow += filled / rowBytes;
          filled = 0;
        }
      }
      if (firstRow === totalRows) break;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  if (firstRow !== totalRows) {
    throw new ModelFormatError(
      `${tensor.file} of model ${source.id} ended inside tensor ${tensor.name} (${firstRow} of ${totalRows} rows)`,
    );
  }
}
