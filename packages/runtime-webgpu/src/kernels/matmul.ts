/**
 * out = W x (+ bias), with the fused prologue / epilogues of matmul-parts.wgsl.ts, over every
 * chunk of the weight matrix. Few input rows (decode) use the matvec kernel, more (prefill) the
 * tiled kernel; both are built up front so a step never waits for a compile.
 */
import { bindGroup, computePipeline, type Recorder } from '../gpu/recorder.ts';
import type { GpuMatrix, MatrixChunk } from '../weights/gpu-matrix.ts';
import { createDimsBuffer, type MatmulEpilogue, type MatmulVariant } from './matmul-parts.wgsl.ts';
import { matmulTiledWgsl, TILE } from './matmul-tiled.wgsl.ts';
import {
  MATVEC_OUTPUTS_PER_GROUP,
  MATVEC_ROWS_PER_GROUP,
  matvecRowsWgsl,
  matvecWgsl,
} from './matvec.wgsl.ts';
import { grid2d, type PassDims } from './pass.ts';

/** Up to this many input rows use the matvec kernel (it reads the weights once per 4 rows). */
export const MATVEC_MAX_ROWS = 8;

export interface MatmulOptions {
  readonly epilogue: MatmulEpilogue;
  /** Input norm weight (hidden) and epsilon, for a fused RMSNorm of the input. */
  readonly norm?: { readonly weight: GPUBuffer; readonly eps: number };
  /** Bias over all rows of the weight matrix. */
  readonly bias?: GPUBuffer;
  /** Which pass count is the number of input rows (default `rows`). */
  readonly rows?: 'rows' | 'logit_rows';
  /** One thread per weight row, no barriers, for every row count (CPU-emulated adapters). */
  readonly serial?: boolean;
  /** The matvec kernel reduces with subgroup operations (the device must have them). */
  readonly subgroups?: boolean;
}

export interface MatmulBuffers {
  readonly pass: GPUBuffer;
  /** (rows, weight.cols) input. */
  readonly x: GPUBuffer;
  readonly weight: GpuMatrix;
  /** The up projection, for `swiglu` (weight is then the gate projection). */
  readonly up?: GpuMatrix;
  /** (rows, weight.rows) output. */
  readonly out: GPUBuffer;
}

export function createMatmul(device: GPUDevice, buffers: MatmulBuffers, options: MatmulOptions) {
  const { weight, up } = buffers;
  if (options.epilogue === 'swiglu' && !up) throw new Error('swiglu needs the up projection');
  const variant: MatmulVariant = {
    dtype: weight.dtype,
    epilogue: options.epilogue,
    bias: options.bias !== undefined,
    norm: options.norm !== undefined,
    rows: options.rows ?? 'rows',
  };
  const label = `matmul ${weight.dtype} ${variant.epilogue}${variant.norm ? ' norm' : ''}${variant.bias ? ' bias' : ''}`;
  const serial = options.serial === true;
  const matvec = serial
    ? computePipeline(device, matvecRowsWgsl(variant), `${label} (serial)`)
    : options.subgroups
      ? computePipeline(device, matvecWgsl(variant, true), `${label} (matvec, subgroups)`)
      : computePipeline(device, matvecWgsl(variant), `${label} (matvec)`);
  const tiled = serial ? null : computePipeline(device, matmulTiledWgsl(variant), `${label} (tiled)`);
  const dimsBuffers: GPUBuffer[] = [];
  const parts = weight.chunks.map((chunk, c) => {
    const dims = createDimsBuffer(device, {
      dtype: weight.dtype,
      k: weight.cols,
      n: chunk.rows,
      outStride: weight.rows,
      outOffset: chunk.firstRow,
      eps: options.norm?.eps ?? 0,
    });
    dimsBuffers.push(dims);
    const slots: GPUBuffer[] = [buffers.pass, dims, buffers.x, ...chunkBuffers(chunk)];
    if (options.epilogue === 'swiglu' && up) slots.push(...chunkBuffers(up.chunks[c]));
    if (options.norm) slots.push(options.norm.weight);
    if (options.bias) slots.push(options.bias);
    slots.push(buffers.out);
    return {
      rows: chunk.rows,
      matvec: { pipeline: matvec, group: bindGroup(device, matvec, slots) },
      tiled: tiled ? { pipeline: tiled, group: bindGroup(device, tiled, slots) } : null,
    };
  });
  const rowsOf = (dims: PassDims) => (options.rows === 'logit_rows' ? dims.logitRows : dims.rows);

  return {
    /** Frees the op's own uniform buffers (not the buffers it was given). */
    destroy(): void {
      for (const buffer of dimsBuffers) buffer.destroy();
    },
    encode(rec: Recorder, dims: PassDims): void {
      const rows = rowsOf(dims);
      for (const part of parts) {
        if (serial) {
          const [x, y] = grid2d(Math.ceil(part.rows / 64));
          rec.dispatch(
            part.matvec.pipeline,
            part.matvec.group,
            x,
            y,
            Math.ceil(rows / MATVEC_ROWS_PER_GROUP),
          );
        } else if (rows <= MATVEC_MAX_ROWS || !part.tiled) {
          const [x, y] = grid2d(Math.ceil(part.rows / MATVEC_OUTPUTS_PER_GROUP));
          rec.dispatch(
            part.matvec.pipeline,
            part.matvec.group,
            x,
            y,
            Math.ceil(rows / MATVEC_ROWS_PER_GROUP),
          );
        } else {
          rec.dispatch(
            part.tiled.pipeline,
            part.tiled.group,
            Math.ceil(part.rows / TILE),
            Math.ceil(rows / TILE),
          );
        }
      }
    },
  };
}

function chunkBuffers(chunk: MatrixChunk): GPUBuffer[] {
  return chunk.scales ? [chunk.data, chunk.scales] : [chunk.data];
}
