/**
 * One chat-completion request inside the scheduler: its prompt, its `n` choices, and the queue
 * its consumer (a stream or a collector) reads step events from.
 */
import { AsyncQueue } from './async-queue.ts';
import type { ChoiceDelta, ChoiceState } from './choice-state.ts';

/** What one scheduler step produced for one request: a delta per choice that advanced. */
export type StepEvent = readonly ChoiceDelta[];

export class GenerationJob {
  readonly events: AsyncQueue<StepEvent>;
  private pending: ChoiceDelta[] = [];
  private cancelledFlag = false;

  constructor(
    readonly promptIds: readonly number[],
    readonly priority: number,
    private readonly choices: readonly ChoiceState[],
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

  lastToken(choice: number): number {
    return this.choices[choice].lastToken;
  }

  /** The prompt's last logits row starts every choice; each gets its own copy to process. */
  acceptPrefill(row: Float32Array): void {
    for (let i = 0; i < this.choices.length; i++) {
      this.accept(i, i === this.choices.length - 1 ? row : row.slice());
    }
  }

  accept(choice: number, row: Float32Array): void {
    this.pending.push(this.choices[choice].consume(row));
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
