/** The final RMSNorm over the rows that need logits, compacted into a (logitRows, hidden) buffer. */
import { bindGroup, computePipeline, type Recorder } from '../gpu/recorder.ts';
import type { PassDims } from './pass.ts';
import { type RmsnormShape, rmsnormWgsl } from './rmsnorm.wgsl.ts';

export interface RmsnormBuffers {
  readonly pass: GPUBuffer;
  /** (rows, hidden) input. */
  readonly x: GPUBuffer;
  /** (logitRows) u32: which input row each output row normalises. */
  readonly rowIndex: GPUBuffer;
  readonly weight: GPUBuffer;
  /** (logitRows, hidden) output. */
  readonly out: GPUBuffer;
}

export function createRmsnorm(device: GPUDevice, shape: RmsnormShape, buffers: RmsnormBuffers) {
  const pipeline = computePipeline(device, rmsnormWgsl(shape), 'rmsnorm');
  const { pass, x, rowIndex, weight, out } = buffers;
  const group = bindGroup(device, pipeline, [pass, x, rowIndex, weight, out]);
  return {
    encode(rec: Recorder, dims: PassDims): void {
      rec.dispatch(pipeline, group, dims.logitRows);
    },
  };
}
