/** Embedding gather of every token of a pass into the residual stream (one dispatch per table chunk). */
import { bindGroup, computePipeline, type Recorder } from '../gpu/recorder.ts';
import type { GpuMatrix } from '../weights/gpu-matrix.ts';
import { embeddingWgsl } from './embedding.wgsl.ts';
import type { PassDims } from './pass.ts';

export interface EmbeddingBuffers {
  readonly pass: GPUBuffer;
  /** (rows) u32 token ids. */
  readonly tokens: GPUBuffer;
  readonly table: GpuMatrix;
  /** (rows, hidden) f32 output. */
  readonly x: GPUBuffer;
}

export function createEmbedding(device: GPUDevice, buffers: EmbeddingBuffers) {
  const { table } = buffers;
  const parts = table.chunks.map((chunk) => {
    const shape = { dtype: table.dtype, hidden: table.cols, firstRow: chunk.firstRow, chunkRows: chunk.rows };
    const pipeline = computePipeline(device, embeddingWgsl(shape), 'embedding');
    const weights = chunk.scales ? [chunk.data, chunk.scales] : [chunk.data];
    const group = bindGroup(device, pipeline, [buffers.pass, buffers.tokens, ...weights, buffers.x]);
    return { pipeline, group };
  });
  return {
    encode(rec: Recorder, dims: PassDims): void {
      for (const { pipeline, group } of parts) {
        rec.dispatch(pipeline, group, Math.ceil(table.cols / 256), dims.rows);
      }
    },
  };
}
