/**
 * One scheduler per loaded model. It keeps every running request's sequences in one batch:
 * each loop turn is one `runtime.step` that prefills newly admitted requests and decodes one
 * token for every running choice. Requests wait in order of `priority` (lower first), then arrival.
 * A cancelled request leaves the batch before the next step, so it costs at most one more token.
 */
import { ApiError } from '@cinder/protocol';
import type { KvSequence, Runtime, StepInput, StepOutput } from '../runtime/runtime.ts';
import type { GenerationJob } from './generation-job.ts';
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

interface RunningJob {
  readonly job: GenerationJob;
  /** One sequence per choice once prefilled; before that, only the prompt's sequence. */
  sequences: KvSequence[];
  /** Prompt tokens already in the cache. */
  fed: number;
  prefilled: boolean;
}

export class Scheduler {
  private readonly waiting: GenerationJob[] = [];
  private readonly running: RunningJob[] = [];
  private readonly maxBatchSequences: number;
  private readonly prefillChunkTokens: number;
  private readonly prefixCache: PrefixCache | null;
  private looping = false;
  private arrivals = 0;
  private readonly arrivalOrder = new WeakMap<GenerationJob, number>();

  constructor(
    private readonly runtime: Runtime,
    options: SchedulerOptions = {},
  ) {
    this.maxBatchSequences = options.maxBatchSequences ?? 16;
    this.prefillChunkTokens = options.prefillChunkTokens ?? 64;
    const cacheTokens = options.prefixCacheTokens ?? 4 * runtime.model.contextLength;
    this.prefixCache = cacheTokens > 0 ? new PrefixCache(runtime, cacheTokens) : null;
  }

  /** Number of requests waiting for a place in the batch and running in it. */
  get load(): { waiting: number; running: number } {
    return { waiting: this.waiting.length, running: this.running.length };
  }

  submit(job: GenerationJob): void {
    this.arrivalOrder.set(job, this.arrivals++);
    this.waiting.push(job);
    this.waiting.sort((a, b) => a.priority - b.priority || this.arrival(a) - this.arrival(b));
    if (!this.looping) void this.loop();
  }

  private arrival(job: GenerationJob): number {
    return this.arrivalOrder.get(job) ?? 0;
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.waiting.length > 0 || this.running.length > 0) {
        await yieldToEventLoop();
        this.dropCancelled();
        this.admit();
        if (this.running.length === 0) continue;
        await this.step();
      }
    } finally {
      this.looping = false;
    }
  }

  private dropCancelled(): void {
    for (let i = this.waiting.length - 1; i >= 0; i--)
      if (this.waiting[i].cancelled) this.waiting.splice(i, 1);
    for (let i = this.running.length - 1; i >= 0; i--) {
      const entry = this.running[i];
      if (entry.job.cancelled || entry.job.done) this.retire(i);
    }
  }

  private admit(): void {
    let used = this.running.reduce((sum, entry) => sum + entry.job.n, 0);
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      // A request larger than the whole batch still runs, alone.
      if (used > 0 && used + next.n > this.maxBatchSequences) break;
      this.waiting.shift();
      this.running.push(this.start(next));
      used += next.n;
    }
  }

  /** A job's first sequence: a fork of the longest cached prefix of its prompt, or a new one. */
  private start(job: GenerationJob): RunningJob {
    // Prompt logprobs need logits at every prompt position, so such a job prefills from scratch.
    const hit = job.promptLogprobs ? null : this.prefixCache?.match(job.promptIds, job.cacheSalt);
    if (!hit) return { job, sequences: [this.runtime.createSequence()], fed: 0, prefilled: false };
    job.cachedTokens = hit.length;
    return {
      job,
      sequences: [this.runtime.fork(hit.sequence, hit.length)],
      fed: hit.length,
      prefilled: false,
    };
  }

  private async step(): Promise<void> {
    const inputs: StepInput[] = [];
    const owners: Array<{ entry: RunningJob; choice: number | 'prefill'; fed?: number }> = [];
    for (const entry of this.running) {
      if (!entry.prefilled) {
        const prompt = entry.job.promptIds;
        const end = Math.min(prompt.length, entry.fed + this.prefillChunkTokens);
        const last = end === prompt.length;
        // With n > 1 every choice draws from the same prompt logits, so they come back to the CPU.
        const scored = entry.job.promptLogprobs !== null;
        const sample = last && entry.job.n === 1 && !scored ? this.deviceDraw(entry.job, 0) : undefined;
        inputs.push({
          sequence: entry.sequences[0],
          tokens: prompt.slice(entry.fed, end),
          logits: scored ? 'all' : last && !sample ? 'last' : 'none',
          sample,
        });
        owners.push({ entry, choice: 'prefill', fed: end });
        continue;
      }
      for (const choice of entry.job.activeChoices()) {
        const sample = this.deviceDraw(entry.job, choice);
        inputs.push({
          sequence: entry.sequences[choice],
          tokens: [entry.job.lastToken(choice)],
          logits: sample ? 'none' : 'last',
          sample,
        });
        owners.push({ entry, choice });
      }
    }
    if (inputs.length === 0) return;

    let rows: StepOutput[];
    try {
      rows = await this.runtime.step(inputs);
    } catch (cause) {
      const error = ApiError.from(cause);
      for (const { entry } of owners) entry.job.fail(error);
      this.dropCancelled();
      return;
    }

    for (let i = 0; i < owners.length; i++) {
      const { entry, choice, fed } = owners[i];
      if (entry.job.cancelled) continue;
      if (choice === 'prefill') {
        const from = entry.fed;
        entry.fed = fed ?? entry.fed;
        let output = rows[i];
        if (entry.job.promptLogprobs) {
          const count = entry.fed - from;
          entry.job.promptLogprobs.addRows(output.logits, from, count);
          const vocab = output.logits.length / count;
          output = { logits: output.logits.slice((count - 1) * vocab) };
        }
        if (entry.fed < entry.job.promptIds.length) continue;
        for (let c = 1; c < entry.job.n; c++) entry.sequences.push(this.runtime.fork(entry.sequences[0]));
        entry.prefilled = true;
        entry.job.acceptPrefill(output);
      } else {
        entry.job.accept(choice, rows[i]);
      }
    }
    for (const entry of this.running) if (entry.prefilled) entry.job.flushStep();
    this.dropCancelled();
  }

  private deviceDraw(job: GenerationJob, choice: number) {
    return this.runtime.deviceSampling ? job.deviceDraw(choice) : undefined;
  }

  /** Leave the batch; a finished job's first sequence goes to the prefix cache. */
  private retire(index: number): void {
    const [entry] = this.running.splice(index, 1);
    const [first, ...rest] = entry.sequences;
    for (const sequence of rest) this.runtime.release(sequence);
    if (this.prefixCache && entry.job.done && !entry.job.cancelled && entry.prefilled) {
      this.prefixCache.insert(entry.job.tokens(0).slice(0, first.length), entry.job.cacheSalt, first);
    } else {
      this.runtime.release(first);
    }
  }

  /** Release every cached prefix (e.g. before the runtime is disposed). */
  clearCache(): void {
    this.prefixCache?.clear();
  }
}
