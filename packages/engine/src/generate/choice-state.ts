/**
 * One choice of a request, token by token: sample from the logits row, check EOS / stop tokens /
 * stop strings / length, turn tokens into text, and record logprobs. Text that might begin a stop
 * string is held back, and so are the token ids and logprobs that produced it, so every delta's
 * tokens and text belong together.
 */
import type { FinishReason, TokenLogprob } from '@cinder/protocol';
import type { DeviceSampling, StepOutput } from '../runtime/runtime.ts';
import { IncrementalDetokenizer } from '../text/detokenizer.ts';
import { StopStringMatcher } from '../text/stop-strings.ts';
import type { TextTokenizer } from '../text/tokenizer.ts';
import { type LogprobReport, logprobEntry, sampledEntry } from './logprob-entry.ts';
import { endsInRepetition, type RepetitionRule } from './repetition.ts';

/** What one step added to one choice. */
export interface ChoiceDelta {
  readonly index: number;
  readonly text: string;
  readonly tokenIds: readonly number[];
  /** Null when logprobs were not requested. */
  readonly logprobs: readonly TokenLogprob[] | null;
  readonly finishReason: FinishReason | null;
  /** vLLM: the stop string or stop token id that ended the choice; null for EOS and length. */
  readonly stopReason: string | number | null;
}

export interface ChoiceSettings {
  readonly index: number;
  readonly maxTokens: number;
  readonly minTokens: number;
  readonly eosTokenIds: ReadonlySet<number>;
  readonly stopTokenIds: ReadonlySet<number>;
  readonly ignoreEos: boolean;
  readonly stopStrings: readonly string[];
  readonly includeStopStringInOutput: boolean;
  readonly skipSpecialTokens: boolean;
  /** vLLM `spaces_between_special_tokens`: a space around special tokens kept in the text. */
  readonly spacesBetweenSpecialTokens: boolean;
  /** Number of top alternatives per token (0..20), or null when logprobs are off. */
  readonly topLogprobs: number | null;
  readonly tokensAsIds: boolean;
  /** vLLM `repetition_detection`, or null. */
  readonly repetition: RepetitionRule | null;
}

/** What a runtime's device draws honour besides temperature / top-k / top-p. */
export interface DeviceAbilities {
  /** `DeviceSampling.allowed` (Runtime.deviceMasks). */
  readonly masks: boolean;
  /** `DeviceSampling.bias` (Runtime.deviceBias). */
  readonly bias: boolean;
}

/** Picks the next token from a logits row (processors may modify the row in place). */
export interface TokenSampler {
  next(logits: Float32Array, generatedIds: readonly number[]): number;
  /**
   * When the chain is only temperature / top-k / top-p, the parameters for a draw on the device
   * (consuming one uniform of the choice's stream); null when the CPU must see the logits.
   * `topLogprobs` is null when the request did not ask for logprobs (the draw then skips them).
   * `device`: what the runtime's draws also honour (a grammar's mask, additions to the logits).
   */
  deviceDraw(
    topLogprobs: number | null,
    device: DeviceAbilities,
    generatedIds: readonly number[],
  ): DeviceSampling | null;
  /** A token drawn on the device: advance what follows the output (a grammar); returns the token taken. */
  took?(token: number): number;
  /** A grammar constraint is complete (it took a stop token): the choice ends with 'stop'. */
  ended?(): boolean;
  /** The choice finished: free what the sampler holds (a grammar matcher). */
  release?(): void;
}

/** Raw (unprocessed) logprobs of a logits row: computed before the sampler touches it. */
export type LogprobProbe = (logits: Float32Array, topN: number) => LogprobReport;

export class ChoiceState {
  private readonly generated: number[] = [];
  private readonly detokenizer: IncrementalDetokenizer;
  private readonly stops: StopStringMatcher;
  private pendingIds: number[] = [];
  private pendingLogprobs: TokenLogprob[] = [];
  private finishedFlag = false;

  constructor(
    private readonly settings: ChoiceSettings,
    private readonly tokenizer: TextTokenizer,
    private readonly sampler: TokenSampler,
    private readonly probe: LogprobProbe,
    promptIds: readonly number[],
  ) {
    this.detokenizer = new IncrementalDetokenizer(tokenizer, {
      skipSpecialTokens: settings.skipSpecialTokens,
      spacesBetweenSpecialTokens: settings.spacesBetweenSpecialTokens,
      promptTail: promptIds.slice(-4),
    });
    this.stops = new StopStringMatcher(settings.stopStrings, {
      includeStopStringInOutput: settings.includeStopStringInOutput,
    });
  }

  get finished(): boolean {
    return this.finishedFlag;
  }

  get lastToken(): number {
    return this.generated[this.generated.length - 1];
  }

  get generatedIds(): readonly number[] {
    return this.generated;
  }

  /**
   * Parameters for sampling this choice's next token on the device, or null to get logits instead.
   * `device`: what the runtime's draws honour besides temperature / top-k / top-p.
   */
  deviceDraw(device: DeviceAbilities): DeviceSampling | null {
    return this.sampler.deviceDraw(this.settings.topLogprobs, device, this.generated);
  }

  /** Take the step's output for this choice: a device-sampled token, or a logits row to sample from. */
  consume(output: StepOutput): ChoiceDelta {
    const { settings } = this;
    let token: number;
    if (output.sampled) {
      token = this.sampler.took?.(output.sampled.token) ?? output.sampled.token;
      if (settings.topLogprobs !== null) {
        this.pendingLogprobs.push(sampledEntry(this.tokenizer, output.sampled, settings.tokensAsIds));
      }
    } else {
      const report = settings.topLogprobs === null ? null : this.probe(output.logits, settings.topLogprobs);
      token = this.sampler.next(output.logits, this.generated);
      if (report)
        this.pendingLogprobs.push(logprobEntry(this.tokenizer, report, token, settings.tokensAsIds));
    }
    this.generated.push(token);
    this.pendingIds.push(token);

    // vLLM: before min_tokens, neither EOS nor stop tokens nor stop strings end the choice.
    const mayStop = this.generated.length >= settings.minTokens;
    let finish: FinishReason | null = null;
    let stopReason: string | number | null = null;
    let text = '';

    if (mayStop && !settings.ignoreEos && settings.eosTokenIds.has(token)) {
      finish = 'stop';
    } else if (mayStop && settings.stopTokenIds.has(token)) {
      finish = 'stop';
      stopReason = token;
    } else {
      const piece = this.detokenizer.push(token);
      if (!mayStop) {
        text = piece;
      } else {
        const fed = this.stops.feed(piece);
        text = fed.emit;
        if (fed.stopped) {
          finish = 'stop';
          stopReason = fed.stopped.stop;
        }
      }
      if (
        !finish &&
        mayStop &&
        settings.repetition &&
        endsInRepetition(this.generated, settings.repetition)
      ) {
        finish = 'stop';
      }
      if (!finish && this.sampler.ended?.()) finish = 'stop';
      if (!finish && this.generated.length >= settings.maxTokens) finish = 'length';
    }

    if (finish && typeof stopReason !== 'string') {
      // Ending for another reason: release held-back text; it may still complete a stop string.
      const fed = this.stops.feed(this.detokenizer.flush());
      text += fed.emit;
      if (fed.stopped) {
        finish = 'stop';
        stopReason = fed.stopped.stop;
      } else {
        text += this.stops.flush();
      }
    }
    if (finish) {
      this.finishedFlag = true;
      this.sampler.release?.();
    }
    return this.delta(text, finish, stopReason);
  }

  private delta(
    text: string,
    finishReason: FinishReason | null,
    stopReason: string | number | null,
  ): ChoiceDelta {
    if (text === '' && finishReason === null) {
      return { index: this.settings.index, text, tokenIds: [], logprobs: null, finishReason, stopReason };
    }
    const tokenIds = this.pendingIds;
    const logprobs = this.settings.topLogprobs === null ? null : this.pendingLogprobs;
    this.pendingIds = [];
    this.pendingLogprobs = [];
    return { index: this.settings.index, text, tokenIds, logprobs, finishReason, stopReason };
  }
}
