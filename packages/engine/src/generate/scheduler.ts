/**
 * One scheduler per loaded model. Every admitted piece of work (a request's choices, a beam search)
 * adds its inputs to one `runtime.step` per loop turn: newly admitted requests prefill while the
 * others decode a token each. Work waits in order of `priority` (lower first), then arrival. A
 * cancelled request leaves the batch before the next step, so it costs at most one more token.
 */
import { ApiError } from '@cinder/protocol';
import type { Runtime, StepInput, StepOutput } from '../runtime/runtime.ts';
import type { BatchContext, BatchWork } from './batch-work.ts';
import { PrefixCache } from './prefix-cache.ts';
import { yieldToEventLoop } from './yield-to-event-loop.ts';

export interface SchedulerOptions {
  /** Most sequences decoded together in one step. */
  readonly maxBatchSequences?: number;
  /**
   * Longest piece of a prompt prefilled in one step. Long prompts are split so that decoding of
   * other requests, aborts and new arrivals get a turn between pieces.
   */
  readonly prefillChunkTokens?: number;
  /** Tokens of finished requests kept for prefix reuse (default 4 context windows; 0 disables). */
  readonly prefixCacheTokens?: number;
}

export class Scheduler {
  private readonly waiting: BatchWork[] = [];
  private readonly running: BatchWork[] = [];
  private readonly maxBatchSequences: number;
  private readonly context: BatchContext;
  private looping = false;
  private arrivals = 0;
  private readonly arrivalOrder = new WeakMap<BatchWork, number>();

  constructor(runtime: Runtime, options: SchedulerOptions = {}) {
    this.maxBatchSequences = options.maxBatchSequences ?? 16;
    const cacheTokens = options.prefixCacheTokens ?? 4 * runtime.model.contextLength;
    this.context = {
      runtime,
      prefixCache: cacheTokens > 0 ? new PrefixCache(runtime, cacheTokens) : null,
      prefillChunkTokens: options.prefillChunkTokens ?? 64,
    };
  }

  /** Number of requests waiting for a place in the batch and running in it. */
  get load(): { waiting: number; running: number } {
    return { waiting: this.waiting.length, running: this.running.length };
  }

  submit(work: BatchWork): void {
    this.arrivalOrder.set(work, this.arrivals++);
    this.waiting.push(work);
    this.waiting.sort((a, b) => a.priority - b.priority || this.arrival(a) - this.arrival(b));
    if (!this.looping) void this.loop();
  }

  /** Release every cached prefix (e.g. before the runtime is disposed). */
  clearCache(): void {
    this.context.prefixCache?.clear();
  }

  private arrival(work: BatchWork): number {
    return this.arrivalOrder.get(work) ?? 0;
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.waiting.length > 0 || this.running.length > 0) {
        await yieldToEventLoop();
        this.dropFinished();
        this.admit();
        if (this.running.length === 0) continue;
        await this.step();
        this.dropFinished();
      }
    } finally {
      this.looping = false;
    }
  }

  private dropFinished(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--)
      if (this.waiting[i].cancelled) this.waiting.splice(i, 1);
    for (let i = this.running.length - 1; i >= 0; i--) {
      const work = this.running[i];
      if (work.cancelled || work.done) {
        this.running.splice(i, 1);
        work.retire(this.context);
      }
    }
  }

  private admit(): void {
    let used = this.running.reduce((sum, work) => sum + work.width, 0);
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      // Work wider than the whole batch still runs, alone.
      if (used > 0 && used + next.width > this.maxBatchSequences) break;
      this.waiting.shift();
      try {
        next.start(this.context);
      } catch (cause) {
        // No room for its sequences (or a dead device): this request fails, the others go on.
        next.fail(ApiError.from(cause));
        next.retire(this.context);
        continue;
      }
      this.running.push(next);
      used += next.width;
    }
  }

  private async step(): Promise<void> {
    const inputs: StepInput[] = [];
    const spans: Array<{ work: BatchWork; from: number; to: number }> = [];
    for (const work of this.running) {
      const mine = work.inputs(this.context);
      spans.push({ work, from: inputs.length, to: inputs.length + mine.length });
      inputs.push(...mine);
    }
    if (inputs.length === 0) return;

    let outputs: StepOutput[];
    try {
      outputs = await this.context.runtime.step(inputs);
    } catch (cause) {
      const error = ApiError.from(cause);
      for (const { work } of spans) work.fail(error);
      return;
    }
    for (const { work, from, to } of spans) {
      if (from < to && !work.cancelled) work.accept(outputs.slice(from, to), this.context);
    }
  }
}
