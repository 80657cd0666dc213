/**
 * What the two matmul kernels (matvec for decode, tiled for prefill) share: the bindings, the
 * optional RMSNorm prologue and the epilogue. A matmul computes, for each input row b and each
 * weight row n of one chunk, acc = W[n] . x[b] and then
 *
 *   store     out[b, off + n]  = acc (+ bias[off + n])
 *   residual  out[b, off + n] += acc (+ bias[off + n])        (the residual add, fused)
 *   swiglu    out[b, off + n]  = silu(acc_gate) * acc_up        (two weight matrices: gate, up)
 *
 * With `norm`, x[b] is first RMS-normalised and scaled by the norm weight (the layer's input /
 * post-attention norm, fused): each workgroup recomputes the row's sum of squares, which is cheap
 * next to the weight reads. CPU twins: rmsnorm, matmul (+ bias), residual, swiglu.
 *
 * Shapes are uniforms (`dims`), not constants: one pipeline per variant serves every matrix of
 * every model, which matters where compiling is slow (about a second per kernel on SwiftShader).
 */
import { UNIFORM } from '../gpu/usage.ts';
import { isQuantized, rowGroups, rowWords, type WeightDtype } from '../weights/format.ts';
import { PASS_WGSL } from './pass.ts';
import { weightAccess, weightBindings } from './weights.wgsl.ts';

export type MatmulEpilogue = 'store' | 'residual' | 'swiglu';

/** What selects a pipeline. */
export interface MatmulVariant {
  readonly dtype: WeightDtype;
  readonly epilogue: MatmulEpilogue;
  readonly bias: boolean;
  /** The input is RMS-normalised on the fly. */
  readonly norm: boolean;
  /** Which pass count gives the number of input rows. */
  readonly rows: 'rows' | 'logit_rows';
}

/** The shape of one chunk's product, passed as a uniform. */
export interface MatmulDims {
  readonly dtype: WeightDtype;
  /** Input width (weight columns) and weight rows of this chunk. */
  readonly k: number;
  readonly n: number;
  /** Output row stride and this chunk's first output column. */
  readonly outStride: number;
  readonly outOffset: number;
  readonly eps: number;
}

const DIMS_WGSL = `struct Dims {
  k: u32,
  n: u32,
  out_stride: u32,
  out_offset: u32,
  row_words: u32,
  groups: u32,
  eps: f32,
  pad: u32,
}
@group(0) @binding(1) var<uniform> dims: Dims;`;

export function createDimsBuffer(device: GPUDevice, d: MatmulDims): GPUBuffer {
  const buffer = device.createBuffer({ label: 'matmul dims', size: 32, usage: UNIFORM });
  const words = new Uint32Array(8);
  words.set([d.k, d.n, d.outStride, d.outOffset, rowWords(d.dtype, d.k), rowGroups(d.dtype, d.k)]);
  new Float32Array(words.buffer)[6] = d.eps;
  device.queue.writeBuffer(buffer, 0, words);
  return buffer;
}

/** Binding declarations in slot order: pass, dims, x, weights (gate), [up], [norm], [bias], out. */
export function matmulBindings(v: MatmulVariant): string {
  const layout = { words: 'dims.row_words', groups: 'dims.groups' };
  let slot = 3;
  const parts = [PASS_WGSL, DIMS_WGSL, '@group(0) @binding(2) var<storage, read> x: array<vec4<f32>>;'];
  parts.push(weightAccess('w', v.dtype, layout, slot));
  slot += weightBindings(v.dtype);
  if (v.epilogue === 'swiglu') {
    parts.push(weightAccess('u', v.dtype, layout, slot));
    slot += weightBindings(v.dtype);
  }
  if (v.norm) parts.push(`@group(0) @binding(${slot++}) var<storage, read> norm_w: array<vec4<f32>>;`);
  if (v.bias) parts.push(`@group(0) @binding(${slot++}) var<storage, read> bias: array<f32>;`);
  parts.push(`@group(0) @binding(${slot}) var<storage, read_write> out: array<f32>;`);
  return parts.join('\n');
}

/** `x4(b, k, scale)`: input row b, values k..k+3, normalised when the kernel has a norm. */
export function inputAccess(v: MatmulVariant): string {
  const load = 'x[(b * dims.k + k) / 4u]';
  return v.norm
    ? `fn x4(b: u32, k: u32, scale: f32) -> vec4<f32> { return ${load} * norm_w[k / 4u] * scale; }`
    : `fn x4(b: u32, k: u32, scale: f32) -> vec4<f32> { return ${load}; }`;
}

/** `epilogue(b, n, acc, acc_up)` writes one output (n local to the chunk). */
export function epilogueWgsl(v: MatmulVariant): string {
  const index = 'b * dims.out_stride + dims.out_offset + n';
  const bias = v.bias ? ' + bias[dims.out_offset + n]' : '';
  switch (v.epilogue) {
    case 'store':
      return `fn epilogue(b: u32, n: u32, acc: f32, acc_up: f32) { out[${index}] = acc${bias}; }`;
    case 'residual':
      return `fn epilogue(b: u32, n: u32, acc: f32, acc_up: f32) { let i = ${index}; out[i] = out[i] + (acc${bias}); }`;
    case 'swiglu':
      return `fn epilogue(b: u32, n: u32, acc: f32, acc_up: f32) { out[${index}] = acc / (1.0 + exp(-acc)) * acc_up; }`;
  }
}

/** 1 / RMS of a row from its sum of squares. */
export function inverseRms(sumOfSquares: string): string {
  return `inverseSqrt(${sumOfSquares} / f32(dims.k) + dims.eps)`;
}

export function variantKey(v: MatmulVariant): string {
  return `${v.dtype}/${v.epilogue}/${v.bias}/${v.norm}/${v.rows}/${isQuantized(v.dtype)}`;
}
