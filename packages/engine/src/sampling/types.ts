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
}
