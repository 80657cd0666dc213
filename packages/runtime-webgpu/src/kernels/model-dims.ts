/**
 * The attention shapes of a model as a uniform, shared by the rope and attention kernels so
 * their pipelines do not depend on the model (one compile per process, not per model).
 */
import type { LlamaFamilyConfig } from '@cinder/model-format';
import { UNIFORM } from '../gpu/usage.ts';

/** Positions per KV-cache page; attention tiles are one page. */
export const PAGE_SIZE = 64;

export const MODEL_DIMS_WGSL = `struct ModelDims {
  num_heads: u32,
  num_kv_heads: u32,
  head_dim: u32,
  q_dim: u32,
  kv_dim: u32,
  qkv_dim: u32,
  eps: f32,
  scale: f32,
}
@group(0) @binding(1) var<uniform> md: ModelDims;
const PAGE = ${PAGE_SIZE}u;`;

export type AttentionShape = Pick<LlamaFamilyConfig, 'numHeads' | 'numKvHeads' | 'headDim' | 'rmsNormEps'>;

export function createModelDims(device: GPUDevice, shape: AttentionShape): GPUBuffer {
  const { numHeads, numKvHeads, headDim } = shape;
  const buffer = device.createBuffer({ label: 'model dims', size: 32, usage: UNIFORM });
  const words = new Uint32Array(8);
  const qDim = numHeads * headDim;
  const kvDim = numKvHeads * headDim;
  words.set([numHeads, numKvHeads, headDim, qDim, kvDim, qDim + 2 * kvDim]);
  const floats = new Float32Array(words.buffer);
  floats[6] = shape.rmsNormEps;
  floats[7] = 1 / Math.sqrt(headDim);
  device.queue.writeBuffer(buffer, 0, words);
  return buffer;
}

/** Per-row facts of a pass: position in its sequence and where its page list starts. */
export const ROW_INFO_WGSL = `struct RowInfo {
  pos: u32,
  table: u32,
}`;
