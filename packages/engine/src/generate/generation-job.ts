/**
 * One chat-completion request in the batch: its prompt (prefilled in chunks, or partly reused from
 * the prefix cache), its `n` choices decoding one token per step, and the queue its consumer
 * (a stream or a collector) reads step events from.
 */
import type { KvSequence, Runtime, StepInput, StepOutput } from '../runtime/runtime.ts';
import { AsyncQueue } from './async-queue.ts';
import type { BatchContext, BatchWork, GenerationOutput, StepEvent } from './batch-work.ts';
import type { ChoiceDelta, ChoiceState } from './choice-state.ts';
import type { PromptLogprobs } from './prompt-logprobs.ts';

export class GenerationJob implements BatchWork, GenerationOutput {
  readonly events: AsyncQueue<StepEvent>;
  /** Prompt tokens whose KV cache came from the prefix cache (set when the job is admitted). */
  cachedTokens = 0;
  private cancelledFlag = false;
  /** One sequence per choice once prefilled; before that, only the prompt's sequence. */
  private sequences: KvSequence[] = [];
  /** Prompt tokens already in the KV cache. */
  private fed = 0;
  private prefilled = false;
  /** What this step's inputs were: a prefill up to `fed`, or these choices. */
  private pendingInputs: { prefillTo: number } | { choices: number[] } = { choices: [] };

  constructor(
    readonly promptIds: readonly number[],
    readonly priority: number,
    private readonly choices: readonly ChoiceState[],
    /** Prefix-cache partition: requests with different salts never share cached prompts. */
    readonly cacheSalt = '',
    /** Set when the request asked for `prompt_logprobs`: prefill then returns every position's logits. */
    readonly promptLogprobs: PromptLogprobs | null = null,
  ) {
    this.events = new AsyncQueue<StepEvent>(() => this.cancel());
  }

  get width(): number {
    return this.choices.length;
  }

  get cancelled(): boolean {
    return this.cancelledFlag;
  }

  get done(): boolean {
    return this.choices.every((choice) => choice.finished);
  }

  cancel(): void {
    this.cancelledFlag = true;
    this.events.close();
  }

  fail(error: unknown): void {
    this.cancelledFlag = true;
    this.events.fail(error);
  }

  /** The first sequence: a fork of the longest cached prefix of the prompt, or a new one. */
  start({ runtime, prefixCache }: BatchContext): void {
    // Prompt logprobs need logits at every prompt position, so such a job prefills from scratch.
    const hit = this.promptLogprobs ? null : prefixCache?.match(this.promptIds, this.cacheSalt);
    this.sequences = [hit ? runtime.fork(hit.sequence, hit.length) : runtime.createSequence()];
    this.fed = hit?.length ?? 0;
    this.cachedTokens = this.fed;
  }

  inputs({ runtime, prefillChunkTokens }: BatchContext): StepInput[] {
    if (!this.prefilled) {
      const end = Math.min(this.promptIds.length, this.fed + prefillChunkTokens);
      const last = end === this.promptIds.length;
      const scored = this.promptLogprobs !== null;
      // With n > 1 every choice draws from the same prompt logits, so they come back to the CPU.
      const sample =
        last && this.width === 1 && !scored && runtime.deviceSampling
          ? this.deviceDraw(0, runtime)
          : undefined;
      this.pendingInputs = { prefillTo: end };
      return [
        {
          sequence: this.sequences[0],
          tokens: this.promptIds.slice(this.fed, end),
          logits: scored ? 'all' : last && !sample ? 'last' : 'none',
          sample,
        },
      ];
    }
    const active = this.choices.flatMap((choice, i) => (choice.finished ? [] : [i]));
    this.pendingInputs = { choices: active };
    return active.map((i) => {
      const sample = runtime.deviceSampling ? this.deviceDraw(i, runtime) : undefined;
      return {
        sequence: this.sequences[i],
        tokens: [this.choices[i].lastToken],
        logits: sample ? 'none' : 'last',
        sample,
      };
    });
  }

  accept(outputs: StepOutput[], { runtime }: BatchContext): void {
    if (this.cancelled) return;
    const pending: ChoiceDelta[] = [];
    const step = this.pendingInputs;
    if ('prefillTo' in step) {
      let output = outputs[0];
      if (this.promptLogprobs) {
        const count = step.prefillTo - this.fed;
        this.promptLogprobs.addRows(output.logits, this.fed, count);
        const vocab = output.logits.length / count;
        output = { logits: output.logits.slice((count - 1) * vocab) };
      }
      this.fed = step.prefillTo;
      if (this.fed < this.promptIds.length) return;
      this.prefilled = true;
      for (let c = 1; c < this.width; c++) this.sequences.push(runtime.fork(this.sequences[0]));
      // The prompt's last logits start every choice; with n > 1 each gets its own copy.
      const last = this.width - 1;
      for (let i = 0; i <= last; i++) {
        pending.push(
          this.choices[i].consume(i === last ? output : { ...output, logits: output.logits.slice() }),
        );
      }
    } else {
      for (const [k, choice] of step.choices.entries())
        pending.push(this.choices[choice].consume(outputs[k]));
    }
    if (pending.length > 0) this.events.push(pending);
    if (this.done) this.events.close();
  }

  /** Leaving the batch: a finished job's first sequence goes to the prefix cache. */
  retire({ runtime, prefixCache }: BatchContext): void {
    const [first, ...rest] = this.sequences;
    for (const sequence of rest) runtime.release(sequence);
    if (!first) return;
    if (prefixCache && this.done && !this.cancelled && this.prefilled) {
      const tokens = [...this.promptIds, ...this.choices[0].generatedIds];
      prefixCache.insert(tokens.slice(0, first.length), this.cacheSalt, first);
    } else {
      runtime.release(first);
    }
    this.sequences = [];
  }

  private deviceDraw(choice: number, runtime: Runtime) {
    const device = { masks: runtime.deviceMasks === true, bias: runtime.deviceBias === true };
    return this.choices[choice].deviceDraw(device) ?? undefined;
  }
}
