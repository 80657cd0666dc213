/**
 * Weights on the GPU. A matrix [rows, cols] (a linear layer's weight, Hugging Face layout
 * [out, in]) is stored in one or more chunks of whole rows, each small enough for one storage
 * binding: the embedding / LM head of a 150k vocabulary can exceed `maxStorageBufferBindingSize`.
 * Kernels run once per chunk. Vectors (norm weights, biases) are plain f32 buffers.
 */
import { WebGpuError } from '../gpu/errors.ts';
import { STORAGE, writeArray } from '../gpu/usage.ts';
import { encodeRows, packScales } from './encode.ts';
import { isQuantized, matrixBytes, rowGroups, rowWords, type WeightDtype } from './format.ts';

export interface MatrixChunk {
  readonly data: GPUBuffer;
  /** Packed f16 group scales (q8 / q4 only). */
  readonly scales: GPUBuffer | null;
  readonly firstRow: number;
  readonly rows: number;
}

export interface GpuMatrix {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly dtype: WeightDtype;
  readonly chunks: readonly MatrixChunk[];
  /** Bytes on the GPU, scales included. */
  readonly bytes: number;
}

/** Rows per chunk so that data and scales each fit one binding (even, so scale words never straddle). */
export function rowsPerChunk(
  dtype: WeightDtype,
  rows: number,
  cols: number,
  maxBindingBytes: number,
): number {
  const rowBytes = rowWords(dtype, cols) * 4;
  let count = Math.floor(maxBindingBytes / rowBytes);
  if (count < 1) {
    throw new WebGpuError(
      'model_too_large',
      `One row of a [${rows}, ${cols}] ${dtype} matrix needs ${rowBytes} bytes; the GPU binds at most ${maxBindingBytes}.`,
    );
  }
  // An odd number of groups per row: keep chunks to even rows so each chunk's scales start on a word.
  if (count < rows && count > 1 && isQuantized(dtype) && rowGroups(dtype, cols) % 2 === 1) count -= count % 2;
  return Math.max(1, Math.min(rows, count));
}

export function createMatrix(
  device: GPUDevice,
  name: string,
  dtype: WeightDtype,
  rows: number,
  cols: number,
  maxBindingBytes: number,
): GpuMatrix {
  if (cols % 4 !== 0) {
    throw new WebGpuError(
      'model_too_large',
      `${name}: ${cols} columns; the WebGPU kernels need a multiple of 4.`,
    );
  }
  const perChunk = rowsPerChunk(dtype, rows, cols, maxBindingBytes);
  const chunks: MatrixChunk[] = [];
  let bytes = 0;
  for (let firstRow = 0; firstRow < rows; firstRow += perChunk) {
    const count = Math.min(perChunk, rows - firstRow);
    const size = matrixBytes(dtype, count, cols);
    const label = `${name}[${firstRow}:${firstRow + count}]`;
    const data = device.createBuffer({ label, size: size.data, usage: STORAGE });
    const scales = isQuantized(dtype)
      ? device.createBuffer({ label: `${label}.scales`, size: Math.max(4, size.scales), usage: STORAGE })
      : null;
    chunks.push({ data, scales, firstRow, rows: count });
    bytes += size.data + size.scales;
  }
  return { name, rows, cols, dtype, chunks, bytes };
}

/**
 * Encodes float32 rows [firstRow, firstRow + n) and writes them. Within a chunk, `firstRow -
 * chunk.firstRow` must be even for quantized matrices (the loader writes in even row batches).
 */
export function writeMatrixRows(
  device: GPUDevice,
  matrix: GpuMatrix,
  firstRow: number,
  values: Float32Array,
): void {
  const { cols, dtype } = matrix;
  const count = values.length / cols;
  for (const chunk of matrix.chunks) {
    const start = Math.max(firstRow, chunk.firstRow);
    const end = Math.min(firstRow + count, chunk.firstRow + chunk.rows);
    if (start >= end) continue;
    const encoded = encodeRows(
      dtype,
      values.subarray((start - firstRow) * cols, (end - firstRow) * cols),
      cols,
    );
    const localRow = start - chunk.firstRow;
    writeArray(device, chunk.data, localRow * rowWords(dtype, cols) * 4, encoded.data);
    if (chunk.scales) {
      const firstScale = localRow * rowGroups(dtype, cols);
      if (firstScale % 2 !== 0) throw new Error(`${matrix.name}: scale writes must start on an even group`);
      writeArray(device, chunk.scales, firstScale * 2, packScales(encoded.scales));
    }
  }
}

export function createVector(device: GPUDevice, name: string, values: Float32Array): GPUBuffer {
  const buffer = device.createBuffer({ label: name, size: Math.max(4, values.byteLength), usage: STORAGE });
  writeArray(device, buffer, 0, values);
  return buffer;
}

export function destroyMatrix(matrix: GpuMatrix): void {
  for (const chunk of matrix.chunks) {
    chunk.data.destroy();
    chunk.scales?.destroy();
  }
}
