/**
 * One chat-completion request inside the scheduler: its prompt, its `n` choices, and the queue
 * its consumer (a stream or a collector) reads step events from.
 */

import type { DeviceSampling, StepOutput } from '../runtime/runtime.ts';
import { AsyncQueue } from './async-queue.ts';
import type { ChoiceDelta, ChoiceState } from './choice-state.ts';
import type { PromptLogprobs } from './prompt-logprobs.ts';

/** What one scheduler step produced for one request: a delta per choice that advanced. */
export type StepEvent = readonly ChoiceDelta[];

export class GenerationJob {
  readonly events: AsyncQueue<StepEvent>;
  private pending: ChoiceDelta[] = [];
  private cancelledFlag = false;
  /** Prompt tokens whose KV cache came from the prefix cache (set when the job is admitted). */
  cachedTokens = 0;

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

  get n(): number {
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

  *activeChoices(): Iterable<number> {
    for (let i = 0; i < this.choices.length; i++) if (!this.choices[i].finished) yield i;
  }

  /** Tokens of a choice's sequence in feeding order: the prompt, then what it generated. */
  tokens(choice: number): number[] {
    return [...this.promptIds, ...this.choices[choice].generatedIds];
  }

  lastToken(choice: number): number {
    return this.choices[choice].lastToken;
  }

  /** How the runtime should produce this choice's next token: a device draw, or logits (undefined). */
  deviceDraw(choice: number): DeviceSampling | undefined {
    return this.choices[choice].deviceDraw() ?? undefined;
  }

  /** The prompt's last step starts every choice; with n > 1 each gets its own copy of the logits. */
  acceptPrefill(output: StepOutput): void {
    const last = this.choices.length - 1;
    for (let i = 0; i <= last; i++) {
      this.accept(i, i === last ? output : { ...output, logits: output.logits.slice() });
    }
  }

  accept(choice: number, output: StepOutput): void {
    this.pending.push(this.choices[choice].consume(output));
  }

  /** Send this step's deltas to the consumer; close the stream when every choice has finished. */
  flushStep(): void {
    if (this.pending.length > 0) {
      this.events.push(this.pending);
      this.pending = [];
    }
    if (this.done) this.events.close();
  }
}
