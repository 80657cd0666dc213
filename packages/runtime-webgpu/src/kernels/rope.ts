/** RoPE (+ Qwen3 q/k norm) on the fused q/k/v rows, writing k and v into the KV cache. */
import { bindGroup, computePipeline, type Recorder } from '../gpu/recorder.ts';
import type { PassDims } from './pass.ts';
import { ropeWgsl } from './rope.wgsl.ts';

export interface RopeBuffers {
  readonly pass: GPUBuffer;
  readonly modelDims: GPUBuffer;
  /** (rows, qDim + 2 kvDim): q rotated in place. */
  readonly qkv: GPUBuffer;
  /** (rows, headDim / 2) cos, sin pairs. */
  readonly ropeTable: GPUBuffer;
  /** (rows) RowInfo: position, page-table offset. */
  readonly rowInfo: GPUBuffer;
  readonly pageTable: GPUBuffer;
  /** This layer's KV cache pages. */
  readonly cache: GPUBuffer;
  readonly qNorm?: GPUBuffer;
  readonly kNorm?: GPUBuffer;
}

export function createRope(device: GPUDevice, heads: number, buffers: RopeBuffers) {
  const qkNorm = buffers.qNorm !== undefined && buffers.kNorm !== undefined;
  const pipeline = computePipeline(device, ropeWgsl(qkNorm), qkNorm ? 'rope + qk norm' : 'rope');
  const { pass, modelDims, qkv, ropeTable, rowInfo, pageTable, cache } = buffers;
  const slots = [pass, modelDims, qkv, ropeTable, rowInfo, pageTable, cache];
  if (buffers.qNorm && buffers.kNorm) slots.push(buffers.qNorm, buffers.kNorm);
  const group = bindGroup(device, pipeline, slots);
  return {
    encode(rec: Recorder, dims: PassDims): void {
      rec.dispatch(pipeline, group, heads, dims.rows);
    },
  };
}
