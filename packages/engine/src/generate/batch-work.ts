/**
 * What the scheduler batches: anything that, step after step, contributes inputs to one
 * `runtime.step` and takes back the outputs. A request's choices (GenerationRun) and a beam
 * search (BeamSearch) are the two kinds.
 */
import type { Runtime, StepInput, StepOutput } from '../runtime/runtime.ts';
import type { AsyncQueue } from './async-queue.ts';
import type { ChoiceDelta } from './choice-state.ts';
import type { PrefixCache } from './prefix-cache.ts';
import type { PromptLogprobs } from './prompt-logprobs.ts';

/** What the scheduler lends its work items. */
export interface BatchContext {
  readonly runtime: Runtime;
  readonly prefixCache: PrefixCache | null;
  /** Longest piece of a prompt prefilled in one step. */
  readonly prefillChunkTokens: number;
}

export interface BatchWork {
  /** Lower runs sooner. */
  readonly priority: number;
  /** Sequences it keeps in the batch, for admission. */
  readonly width: number;
  readonly cancelled: boolean;
  readonly done: boolean;
  /** Admitted to the batch: take sequences. */
  start(context: BatchContext): void;
  /** This step's inputs (possibly none). */
  inputs(context: BatchContext): StepInput[];
  /** The outputs for exactly those inputs, in order. */
  accept(outputs: StepOutput[], context: BatchContext): void;
  /** The step failed: end with this error. */
  fail(error: unknown): void;
  /** Leaving the batch: release sequences, or hand them to the prefix cache. */
  retire(context: BatchContext): void;
}

/** What one step produced for one request: a delta per choice that advanced. */
export type StepEvent = readonly ChoiceDelta[];

/** What the output side (ChunkStream, collectCompletion) reads from a request being generated. */
export interface GenerationOutput {
  readonly events: AsyncQueue<StepEvent>;
  readonly cancelled: boolean;
  cancel(): void;
  /** Prompt tokens whose KV came from the prefix cache. */
  readonly cachedTokens: number;
  readonly promptLogprobs: PromptLogprobs | null;
}
