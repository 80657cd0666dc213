/** Split attention (partials per chunk of the cached sequence) followed by the merge. */
import { bindGroup, computePipeline, type Recorder } from '../gpu/recorder.ts';
import { attentionReduceWgsl, attentionSerialWgsl, attentionWgsl } from './attention.wgsl.ts';
import type { PassDims } from './pass.ts';

export interface AttentionBuffers {
  readonly pass: GPUBuffer;
  readonly modelDims: GPUBuffer;
  /** (rows, qDim + 2 kvDim): the rotated queries are read from it. */
  readonly qkv: GPUBuffer;
  readonly rowInfo: GPUBuffer;
  readonly pageTable: GPUBuffer;
  readonly cache: GPUBuffer;
  /** (rows, numHeads, chunks, headDim + 2) scratch. */
  readonly partials: GPUBuffer;
  /** (rows, qDim) output. */
  readonly out: GPUBuffer;
}

/** `serial`: one thread per (chunk, head, row), no barriers (CPU-emulated adapters). */
export function createAttention(
  device: GPUDevice,
  numHeads: number,
  buffers: AttentionBuffers,
  serial = false,
) {
  const { pass, modelDims, qkv, rowInfo, pageTable, cache, partials, out } = buffers;
  const split = serial
    ? computePipeline(device, attentionSerialWgsl(), 'attention (serial)')
    : computePipeline(device, attentionWgsl(), 'attention');
  const reduce = computePipeline(device, attentionReduceWgsl(), 'attention reduce');
  const splitGroup = bindGroup(device, split, [pass, modelDims, qkv, rowInfo, pageTable, cache, partials]);
  const reduceGroup = bindGroup(device, reduce, [pass, modelDims, partials, out]);
  return {
    encode(rec: Recorder, dims: PassDims): void {
      if (serial) rec.dispatch(split, splitGroup, Math.ceil((dims.attnChunks * numHeads * dims.rows) / 64));
      else rec.dispatch(split, splitGroup, dims.attnChunks, numHeads, dims.rows);
      rec.dispatch(reduce, reduceGroup, numHeads, dims.rows);
    },
  };
}
