/**
 * The seam between the engine and whatever runs the model (CPU reference, WebGPU, ...).
 * A runtime owns weights and KV caches; it knows nothing about chat, sampling or HTTP.
 * Every runtime implements this one interface and passes the shared conformance suite.
 */
import type { ModelSource } from '@cinder/model-format';

/** What the engine needs to know about a loaded model. */
export interface ModelInfo {
  /** `config.json` architecture, e.g. `LlamaForCausalLM`, `Qwen2ForCausalLM`, `Qwen3ForCausalLM`. */
  readonly architecture: string;
  /** Rows of the LM head: the length of every logits row. */
  readonly vocabSize: number;
  /** Longest sequence (prompt + completion) the KV cache may hold. */
  readonly contextLength: number;
  /** Weight storage type after loading, e.g. `f32`, `f16`, `q8`, `q4`. */
  readonly dtype: string;
  /** Bytes of weights held by the runtime. */
  readonly weightBytes: number;
}

/** One sequence's KV cache inside a runtime. `length` tokens are cached. */
export interface KvSequence {
  readonly id: number;
  readonly length: number;
}

/** One sequence's part of a batched step. */
export interface StepInput {
  readonly sequence: KvSequence;
  /**
   * Tokens to append at positions `[sequence.length, sequence.length + tokens.length)`:
   * many for prefill, one for decode.
   */
  readonly tokens: ArrayLike<number>;
  /**
   * Which logits to return: the last new position (`last`, for sampling), every new position
   * (`all`, for prompt logprobs), or nothing (`none`, pure prefill).
   */
  readonly logits: 'last' | 'all' | 'none';
  /**
   * Sample the next token on the device (only when `Runtime.deviceSampling`). The runtime then
   * returns the token and its logprobs instead of a logits row (unless `logits` also asks for one).
   */
  readonly sample?: DeviceSampling;
}

/**
 * The part of the sampler chain a runtime may run itself: temperature, top-k and top-p over the
 * last position's logits, then one draw. The engine asks for it only when no processor that must
 * run on the CPU (penalties, biases, grammars, ...) is active.
 */
export interface DeviceSampling {
  /** Below 1e-5: greedy (argmax, ties to the lowest id). */
  readonly temperature: number;
  /** 0 = off. */
  readonly topK: number;
  /** 1 = off. */
  readonly topP: number;
  /** Uniform in [0, 1) from the choice's seeded stream: the draw is the inverse CDF at this point, in id order. */
  readonly uniform: number;
  /**
   * Whether the engine needs the sampled token's raw logprob (the request asked for logprobs).
   * When false the runtime may return only the token id (a GPU then reads back 4 bytes instead
   * of 8): `SampledToken.logprob` is NaN and `top` is empty.
   */
  readonly logprob: boolean;
  /** Alternatives to report with their raw logprobs (0..20; only when `logprob`). */
  readonly topLogprobs: number;
  /**
   * The tokens the draw may pick (a grammar's mask, xgrammar's layout: bit `id & 31` of word
   * `id >> 5`; ids past the mask are not allowed), applied before temperature / top-k / top-p as
   * the CPU applies it to the logits. Only given to runtimes with `deviceMasks`.
   */
  readonly allowed?: Int32Array;
  /**
   * Additions to the raw logits before the mask's survivors are sampled (logit_bias, presence and
   * frequency penalties), as the CPU applies them: id -> delta, ids ascending. Only given to
   * runtimes with `deviceBias`.
   */
  readonly bias?: ReadonlyArray<readonly [id: number, delta: number]>;
}

/** A plain greedy draw without logprobs: the device reads back only the token id (tests, benches). */
export const GREEDY_DEVICE_SAMPLING: DeviceSampling = {
  temperature: 0,
  topK: 0,
  topP: 1,
  uniform: 0,
  logprob: false,
  topLogprobs: 0,
};

/** What a device-side draw returns: a handful of bytes instead of a logits row. */
export interface SampledToken {
  readonly token: number;
  /** Raw (unprocessed) logprob of the token. */
  readonly logprob: number;
  /** The `topLogprobs` most likely ids with raw logprobs, most likely first. */
  readonly top: ReadonlyArray<{ readonly id: number; readonly logprob: number }>;
}

export interface StepOutput {
  /** `vocabSize` floats for `last`, `tokens.length * vocabSize` for `all`, empty for `none` or a device draw. */
  readonly logits: Float32Array;
  /** Set when the input asked for `sample`. */
  readonly sampled?: SampledToken;
}

export interface Runtime {
  /** Short backend name: `cpu`, `webgpu`. */
  readonly backend: string;
  readonly model: ModelInfo;
  /** Whether `StepInput.sample` is honoured (the GPU runtime); otherwise the engine samples from logits. */
  readonly deviceSampling: boolean;
  /**
   * Whether device draws honour `DeviceSampling.allowed`: grammars (structured outputs, tools) then
   * draw on the device too, instead of bringing every logits row back. Default false.
   */
  readonly deviceMasks?: boolean;
  /**
   * Whether device draws honour `DeviceSampling.bias`: logit_bias and presence / frequency penalties
   * then draw on the device too. Default false.
   */
  readonly deviceBias?: boolean;
  /** A new, empty KV cache. */
  createSequence(): KvSequence;
  /**
   * Run the model over a batch of sequences in one step (one submit on a GPU). Resolves to one
   * output per input. Each sequence's `length` grows by its number of tokens.
   */
  step(batch: readonly StepInput[]): Promise<StepOutput[]>;
  /** A new sequence holding a copy of the first `length` cached tokens of `sequence` (prefix reuse, n > 1). */
  fork(sequence: KvSequence, length?: number): KvSequence;
  /** Forget everything after the first `length` cached tokens. */
  truncate(sequence: KvSequence, length: number): void;
  /** Free a sequence's cache. */
  release(sequence: KvSequence): void;
  /** Free everything. The runtime is unusable afterwards. */
  dispose(): Promise<void>;
}

export interface LoadProgress {
  /** Bytes loaded so far, and in total when known. */
  readonly loaded: number;
  readonly total: number | null;
  readonly file: string;
}

export interface RuntimeLoadOptions {
  /** Weight storage type; each runtime says which it supports. Default: as stored (f32 for bf16/f16 on the CPU). */
  readonly dtype?: string;
  /** Cap on the context length (defaults to the model's `max_position_embeddings`). */
  readonly contextLength?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LoadProgress) => void;
}

/** Loads a model (Hugging Face layout) from a source into a runtime. */
export interface RuntimeFactory {
  readonly backend: string;
  load(source: ModelSource, options?: RuntimeLoadOptions): Promise<Runtime>;
}
