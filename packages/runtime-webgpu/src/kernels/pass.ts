/**
 * The per-pass uniform every kernel binds at slot 0: how many rows (tokens) this pass runs,
 * how many of them produce logits, how many sequences sample, and how attention is split.
 * A pass is one command buffer: all tokens of a step (see forward.ts).
 */
import { UNIFORM } from '../gpu/usage.ts';

export interface PassDims {
  /** Tokens in this pass, over all sequences. */
  readonly rows: number;
  /** Rows whose logits are computed (final norm + LM head). */
  readonly logitRows: number;
  /** Sequences drawing a token on the device. */
  readonly sampled: number;
  /** Attention: splits over the cached sequence, and positions per split (a multiple of 64). */
  readonly attnChunks: number;
  readonly attnChunkLen: number;
}

export const PASS_WGSL = `struct Pass {
  rows: u32,
  logit_rows: u32,
  sampled: u32,
  attn_chunks: u32,
  attn_chunk_len: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}
@group(0) @binding(0) var<uniform> pass_: Pass;`;

const PASS_BYTES = 32;

export function createPassBuffer(device: GPUDevice): GPUBuffer {
  return device.createBuffer({ label: 'pass', size: PASS_BYTES, usage: UNIFORM });
}

export function writePass(device: GPUDevice, buffer: GPUBuffer, dims: PassDims): void {
  const words = new Uint32Array(PASS_BYTES / 4);
  words.set([dims.rows, dims.logitRows, dims.sampled, dims.attnChunks, dims.attnChunkLen]);
  device.queue.writeBuffer(buffer, 0, words);
}

/** Workgroups along x (<= 65535) and y covering `count`; kernels compute `wg.x + wg.y * num_wg.x`. */
export function grid2d(count: number, max = 65535): [number, number] {
  if (count <= max) return [count, 1];
  const y = Math.ceil(count / max);
  return [Math.ceil(count / y), y];
}
