/**
 * A sampler is a chain of logits processors, each a small object that edits one logits row in
 * place (Float32Array, one entry per vocabulary id; a removed token gets -Infinity), followed
 * by a pick (argmax or a draw from the softmax).
 */

export interface SamplingContext {
  /** The prompt's token ids (fixed for the life of a sequence). */
  readonly promptIds: readonly number[];
  /** Tokens generated so far for this sequence, oldest first. */
  readonly generatedIds: readonly number[];
  /** Decode step, normally generatedIds.length. */
  readonly step: number;
}

export interface LogitsProcessor {
  /** Short name for debugging and tests: 'temperature', 'top-p', ... */
  readonly name: string;
  apply(logits: Float32Array, context: SamplingContext): void;
  /**
   * For a processor that only adds to a few logits (logit_bias, presence / frequency penalties) or
   * removes a few tokens (-Infinity: min_tokens, bad_words): what `apply` would add, per id. A
   * runtime with `deviceBias` then applies it on the device.
   */
  additions?(context: SamplingContext): Iterable<readonly [id: number, delta: number]>;
  /** For a processor that keeps only these ids (allowed_token_ids): a runtime with `deviceMasks` masks the rest. */
  readonly keptIds?: readonly number[];
}
