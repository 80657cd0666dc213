/**
 * Working memory of a pass on the GPU, allocated once per runtime (the forward pass allocates
 * nothing). A pass holds up to `maxRows` tokens over all sequences of a step; rows that want
 * logits are compacted into the first `maxLogitRows` rows of the logits buffers.
 */
import type { LlamaFamilyConfig } from '@cinder/model-format';
import { STORAGE } from './gpu/usage.ts';
import { PAGE_SIZE } from './kernels/model-dims.ts';
import { createPassBuffer } from './kernels/pass.ts';

/** Tokens per pass (a longer step runs as several passes). */
export const MAX_PASS_ROWS = 128;
/** Splits of the cached sequence for attention (flash-decoding), per row at most ... */
export const MAX_ATTENTION_CHUNKS = 16;
/** ... and over all rows of a pass (sizes the partials buffer). */
export const ATTENTION_CHUNK_ROWS = 2 * MAX_PASS_ROWS;
/** Logits rows per pass at most (also bounded by the binding size). */
export const MAX_LOGIT_ROWS = 64;
/** Words of one sampled result: token, logprob, then 20 (id, logprob) pairs. */
export const SAMPLE_RESULT_WORDS = 2 + 2 * 20;
/** Words of one sampling request (sample.wgsl.ts `SampleParams`). */
export const SAMPLE_PARAM_WORDS = 8;

export interface GpuState {
  readonly maxRows: number;
  readonly maxLogitRows: number;
  readonly maxPagesPerPass: number;
  readonly pass: GPUBuffer; // uniform PassDims
  readonly tokens: GPUBuffer; // (rows) u32
  readonly rowInfo: GPUBuffer; // (rows) RowInfo: pos, page-table offset
  readonly pageTable: GPUBuffer; // (pages) u32: the page lists of the pass's sequences
  readonly ropeTable: GPUBuffer; // (rows, headDim / 2) cos, sin
  readonly x: GPUBuffer; // (rows, hidden)      the residual stream
  readonly qkv: GPUBuffer; // (rows, qDim + 2 kvDim)
  readonly attention: GPUBuffer; // (rows, qDim)  per-head attention outputs
  readonly partials: GPUBuffer; // (rows, heads, chunks, headDim + 2), rows * chunks <= ATTENTION_CHUNK_ROWS
  readonly hidden: GPUBuffer; // (rows, inter)   silu(gate) * up
  readonly logitRowIndex: GPUBuffer; // (logitRows) u32: the pass row of each logits row
  readonly xFinal: GPUBuffer; // (logitRows, hidden)  after the final norm
  readonly logits: GPUBuffer; // (logitRows, vocab)
  readonly sampleParams: GPUBuffer; // (logitRows, SAMPLE_PARAM_WORDS)
  readonly sampleResults: GPUBuffer; // (logitRows, SAMPLE_RESULT_WORDS)
  readonly sampleMasks: GPUBuffer; // (logitRows, ceil(vocab / 32)) u32: grammar masks of the draws
}

export function createGpuState(
  device: GPUDevice,
  config: LlamaFamilyConfig,
  contextLength: number,
  maxBindingBytes: number,
): GpuState {
  const { hiddenSize: hidden, intermediateSize: inter, headDim, numHeads, vocabSize: vocab } = config;
  const qDim = numHeads * headDim;
  const qkvDim = qDim + 2 * config.numKvHeads * headDim;
  const rows = MAX_PASS_ROWS;
  const logitRows = Math.max(1, Math.min(MAX_LOGIT_ROWS, Math.floor(maxBindingBytes / (vocab * 4))));
  const maxPagesPerPass = rows * Math.ceil(contextLength / PAGE_SIZE);
  const buffer = (label: string, bytes: number) =>
    device.createBuffer({ label, size: Math.max(16, bytes), usage: STORAGE });
  return {
    maxRows: rows,
    maxLogitRows: logitRows,
    maxPagesPerPass,
    pass: createPassBuffer(device),
    tokens: buffer('tokens', rows * 4),
    rowInfo: buffer('row info', rows * 8),
    pageTable: buffer('page table', maxPagesPerPass * 4),
    ropeTable: buffer('rope table', rows * headDim * 4),
    x: buffer('x', rows * hidden * 4),
    qkv: buffer('qkv', rows * qkvDim * 4),
    attention: buffer('attention', rows * qDim * 4),
    partials: buffer('attention partials', ATTENTION_CHUNK_ROWS * numHeads * (headDim + 2) * 4),
    hidden: buffer('mlp hidden', rows * inter * 4),
    logitRowIndex: buffer('logit rows', logitRows * 4),
    xFinal: buffer('x final', logitRows * hidden * 4),
    logits: buffer('logits', logitRows * vocab * 4),
    sampleParams: buffer('sample params', logitRows * SAMPLE_PARAM_WORDS * 4),
    sampleResults: buffer('sample results', logitRows * SAMPLE_RESULT_WORDS * 4),
    sampleMasks: buffer('sample masks', logitRows * Math.ceil(vocab / 32) * 4),
  };
}

export function destroyGpuState(state: GpuState): void {
  for (const value of Object.values(state)) if (typeof value === 'object') (value as GPUBuffer).destroy();
}
