/** The device-side sampler: one workgroup per sequence that draws on the device this pass. */
import type { DeviceSampling } from '@cinder/engine';
import { bindGroup, computePipeline, type Recorder } from '../gpu/recorder.ts';
import type { PassDims } from './pass.ts';
import { sampleWgsl } from './sample.wgsl.ts';

/** Below this temperature sampling is greedy (the engine's GREEDY_EPSILON). */
export const GREEDY_TEMPERATURE = 1e-5;

export interface SampleBuffers {
  readonly pass: GPUBuffer;
  /** (logitRows, vocab) raw logits. */
  readonly logits: GPUBuffer;
  /** (sampled) SampleParams. */
  readonly params: GPUBuffer;
  /** (sampled, 42) u32: token, logprob, 20 x (id, logprob) (the logprob only when asked). */
  readonly results: GPUBuffer;
  /** (sampled, ceil(vocab / 32)) u32: each masked draw's allowed tokens (sampleMaskWords). */
  readonly masks: GPUBuffer;
  /** u32: per draw [offset, count], then (id, delta as f32 bits) entries (encodeSampleBias). */
  readonly bias: GPUBuffer;
  /** f32, one per bias entry: the raw values the kernel puts back. */
  readonly saved: GPUBuffer;
}

export interface SampleOptions {
  /** One thread per row (CPU-emulated adapters), else a 256-thread workgroup per row. */
  readonly serial?: boolean;
  /** Reductions with subgroup operations (only if the device has them; not with `serial`). */
  readonly subgroups?: boolean;
}

export function createSample(device: GPUDevice, buffers: SampleBuffers, options: SampleOptions = {}) {
  const serial = options.serial === true;
  const subgroups = !serial && options.subgroups === true;
  const label = serial ? 'sample (serial)' : subgroups ? 'sample (subgroups)' : 'sample';
  const pipeline = computePipeline(device, sampleWgsl(serial ? 1 : undefined, subgroups), label);
  const bind = (b: SampleBuffers) =>
    bindGroup(device, pipeline, [b.pass, b.logits, b.params, b.results, b.masks, b.bias, b.saved]);
  let group = bind(buffers);
  return {
    encode(rec: Recorder, dims: PassDims): void {
      rec.dispatch(pipeline, group, dims.sampled);
    },
    /** Binds larger bias buffers (the others stay). */
    rebind(bias: GPUBuffer, saved: GPUBuffer): void {
      group = bind({ ...buffers, bias, saved });
    },
  };
}

/** SampleParams words for a draw from logits row `row` (sample.wgsl.ts). */
export function encodeSampleParams(
  out: Uint32Array,
  index: number,
  row: number,
  vocab: number,
  draw: DeviceSampling,
): void {
  const floats = new Float32Array(out.buffer, out.byteOffset, out.length);
  const at = index * 8;
  const greedy = draw.temperature < GREEDY_TEMPERATURE;
  out[at] = row;
  floats[at + 1] = greedy ? 1 : 1 / draw.temperature;
  out[at + 2] = Math.max(0, Math.floor(draw.topK));
  floats[at + 3] = draw.topP;
  floats[at + 4] = draw.uniform;
  out[at + 5] = sampleTopLogprobs(draw);
  out[at + 6] =
    (greedy ? SAMPLE_GREEDY : 0) | (draw.logprob ? SAMPLE_LOGPROB : 0) | (draw.allowed ? SAMPLE_MASKED : 0);
  out[at + 7] = vocab;
}

/** SampleParams `flags` bits. */
export const SAMPLE_GREEDY = 1;
export const SAMPLE_LOGPROB = 2;
export const SAMPLE_MASKED = 4;

/**
 * The bias words of a pass's draws (sample.wgsl.ts): per draw [offset, count], then each draw's
 * (id, delta) entries, ids inside the vocabulary. Always at least the header.
 */
export function encodeSampleBias(draws: readonly DeviceSampling[], vocab: number): Uint32Array {
  const lists = draws.map((draw) => (draw.bias ?? []).filter(([id]) => id >= 0 && id < vocab));
  const entries = lists.reduce((sum, list) => sum + list.length, 0);
  const out = new Uint32Array(2 * draws.length + 2 * entries);
  const floats = new Float32Array(out.buffer);
  let at = 2 * draws.length;
  lists.forEach((list, s) => {
    out[2 * s] = at;
    out[2 * s + 1] = list.length;
    for (const [id, delta] of list) {
      out[at] = id;
      floats[at + 1] = delta;
      at += 2;
    }
  });
  return out;
}

/** u32 words of one draw's mask row. */
export function sampleMaskWords(vocab: number): number {
  return Math.ceil(vocab / 32);
}

/**
 * Writes draw `index`'s mask row into `out` (a row of sampleMaskWords(vocab) words per draw): the
 * engine's mask, cut to the vocabulary; words past it stay 0 (not allowed). Nothing for an unmasked draw.
 */
export function encodeSampleMask(out: Uint32Array, index: number, vocab: number, draw: DeviceSampling): void {
  if (!draw.allowed) return;
  const words = sampleMaskWords(vocab);
  const row = out.subarray(index * words, (index + 1) * words);
  row.set(
    new Uint32Array(draw.allowed.buffer, draw.allowed.byteOffset, Math.min(words, draw.allowed.length)),
  );
  const tail = vocab % 32;
  if (tail !== 0 && draw.allowed.length >= words) row[words - 1] &= (1 << tail) - 1;
}

/** Top logprobs a draw reports (0..20; none unless it wants its logprob). */
export function sampleTopLogprobs(draw: DeviceSampling): number {
  return draw.logprob ? Math.min(20, Math.max(0, Math.floor(draw.topLogprobs))) : 0;
}

/** u32 words of a draw's result that are read back: the token, then its logprob and top pairs if asked. */
export function sampleResultWords(draw: DeviceSampling): number {
  return draw.logprob ? 2 + 2 * sampleTopLogprobs(draw) : 1;
}
