/**
 * vLLM's beam search (`use_beam_search`, `n` beams, `length_penalty`): every step, each live beam
 * proposes its 2·n most likely next tokens (log-softmax of the processed logits); the n best
 * continuations by cumulative logprob survive, each on a fork of its parent's KV cache. A beam that
 * emits EOS is complete. At the end, complete and live beams are ranked by
 * `cumulative_logprob / length ** length_penalty` (length counting the prompt, as vLLM does) and the
 * best n become the choices.
 */
import type { FinishReason } from '@cinder/protocol';
import type { KvSequence, StepInput, StepOutput } from '../runtime/runtime.ts';
import { logSoftmax, type Sampler, topKIndices } from '../sampling/index.ts';
import { IncrementalDetokenizer } from '../text/detokenizer.ts';
import { StopStringMatcher } from '../text/stop-strings.ts';
import type { TextTokenizer } from '../text/tokenizer.ts';
import { AsyncQueue } from './async-queue.ts';
import type { BatchContext, BatchWork, GenerationOutput, StepEvent } from './batch-work.ts';
import type { ChoiceDelta } from './choice-state.ts';

export interface BeamSearchSettings {
  /** Beams kept, and choices returned (`n`). */
  readonly width: number;
  readonly maxTokens: number;
  readonly lengthPenalty: number;
  /** Logits are divided by it before the log-softmax; 0 counts as 1. */
  readonly temperature: number;
  readonly eosTokenIds: ReadonlySet<number>;
  readonly ignoreEos: boolean;
  readonly stopStrings: readonly string[];
  readonly includeStopStringInOutput: boolean;
  readonly skipSpecialTokens: boolean;
}

interface Beam {
  readonly tokens: number[];
  readonly cumulative: number;
  /** KV cache holding the prompt and every token but the last; null once complete. */
  sequence: KvSequence | null;
}

export class BeamSearch implements BatchWork, GenerationOutput {
  readonly events: AsyncQueue<StepEvent>;
  readonly cachedTokens = 0;
  readonly promptLogprobs = null;
  private live: Beam[] = [];
  private readonly complete: Beam[] = [];
  private root: KvSequence | null = null;
  private fed = 0;
  private prefillTo = 0;
  private cancelledFlag = false;
  private finished = false;

  constructor(
    readonly promptIds: readonly number[],
    readonly priority: number,
    private readonly settings: BeamSearchSettings,
    /** Deterministic processors (logit bias, allowed tokens, bad words, min tokens, penalties). */
    private readonly processors: Sampler,
    private readonly tokenizer: TextTokenizer,
  ) {
    this.events = new AsyncQueue<StepEvent>(() => this.cancel());
  }

  get width(): number {
    return this.settings.width;
  }

  get cancelled(): boolean {
    return this.cancelledFlag;
  }

  get done(): boolean {
    return this.finished;
  }

  cancel(): void {
    this.cancelledFlag = true;
    this.events.close();
  }

  fail(error: unknown): void {
    this.cancelledFlag = true;
    this.events.fail(error);
  }

  start({ runtime }: BatchContext): void {
    this.root = runtime.createSequence();
  }

  inputs({ prefillChunkTokens }: BatchContext): StepInput[] {
    if (this.root) {
      const end = Math.min(this.promptIds.length, this.fed + prefillChunkTokens);
      this.prefillTo = end;
      const last = end === this.promptIds.length;
      return [
        { sequence: this.root, tokens: this.promptIds.slice(this.fed, end), logits: last ? 'last' : 'none' },
      ];
    }
    return this.live.map((beam) => ({
      sequence: beam.sequence!,
      tokens: [beam.tokens[beam.tokens.length - 1]],
      logits: 'last',
    }));
  }

  accept(outputs: StepOutput[], { runtime }: BatchContext): void {
    if (this.root) {
      this.fed = this.prefillTo;
      if (this.fed < this.promptIds.length) return;
      const root: Beam = { tokens: [], cumulative: 0, sequence: this.root };
      this.root = null;
      this.expand([root], outputs, runtime);
    } else {
      this.expand(this.live, outputs, runtime);
    }
    if (this.live.length === 0) this.finish();
  }

  retire({ runtime }: BatchContext): void {
    if (this.root) runtime.release(this.root);
    for (const beam of this.live) if (beam.sequence) runtime.release(beam.sequence);
    this.root = null;
    this.live = [];
  }

  /** One step of the search: every live beam's 2·width best continuations, the best `width` kept. */
  private expand(parents: Beam[], outputs: StepOutput[], runtime: BatchContext['runtime']): void {
    const { width, temperature, eosTokenIds, ignoreEos, maxTokens } = this.settings;
    const scale = temperature > 0 ? 1 / temperature : 1;
    const candidates: Array<{ parent: Beam; token: number; cumulative: number }> = [];
    parents.forEach((parent, i) => {
      const row = outputs[i].logits;
      this.processors.process(row, {
        promptIds: this.promptIds,
        generatedIds: parent.tokens,
        step: parent.tokens.length,
      });
      if (scale !== 1) for (let j = 0; j < row.length; j++) row[j] *= scale;
      const logprobs = logSoftmax(row);
      for (const token of topKIndices(logprobs, 2 * width)) {
        const cumulative = parent.cumulative + logprobs[token];
        if (logprobs[token] === Number.NEGATIVE_INFINITY) continue;
        if (!ignoreEos && eosTokenIds.has(token)) {
          this.complete.push({ tokens: [...parent.tokens, token], cumulative, sequence: null });
        } else {
          candidates.push({ parent, token, cumulative });
        }
      }
    });
    candidates.sort((a, b) => b.cumulative - a.cumulative);
    const survivors = candidates.slice(0, width);
    const atLimit = parents[0].tokens.length + 1 >= maxTokens;
    const next = survivors.map(({ parent, token, cumulative }) => ({
      tokens: [...parent.tokens, token],
      cumulative,
      sequence: atLimit || !parent.sequence ? null : runtime.fork(parent.sequence),
    }));
    for (const parent of parents) {
      if (parent.sequence) runtime.release(parent.sequence);
      parent.sequence = null;
    }
    if (atLimit) {
      this.complete.push(...next);
      this.live = [];
    } else {
      this.live = next;
    }
  }

  private finish(): void {
    const { width, lengthPenalty, eosTokenIds } = this.settings;
    const score = (beam: Beam) => {
      let length = this.promptIds.length + beam.tokens.length;
      if (eosTokenIds.has(beam.tokens[beam.tokens.length - 1])) length -= 1;
      return beam.cumulative / Math.max(1, length) ** lengthPenalty;
    };
    const best = [...this.complete].sort((a, b) => score(b) - score(a)).slice(0, width);
    this.finished = true;
    this.events.push(best.map((beam, index) => this.delta(beam, index)));
    this.events.close();
  }

  private delta(beam: Beam, index: number): ChoiceDelta {
    const { settings } = this;
    const last = beam.tokens[beam.tokens.length - 1];
    const endedByEos = !settings.ignoreEos && settings.eosTokenIds.has(last);
    const textTokens = endedByEos ? beam.tokens.slice(0, -1) : beam.tokens;
    const detokenizer = new IncrementalDetokenizer(this.tokenizer, {
      skipSpecialTokens: settings.skipSpecialTokens,
      promptTail: this.promptIds.slice(-4),
    });
    let raw = '';
    for (const token of textTokens) raw += detokenizer.push(token);
    raw += detokenizer.flush();
    const stops = new StopStringMatcher(settings.stopStrings, {
      includeStopStringInOutput: settings.includeStopStringInOutput,
    });
    const fed = stops.feed(raw);
    const text = fed.stopped ? fed.emit : fed.emit + stops.flush();
    let finishReason: FinishReason = endedByEos ? 'stop' : 'length';
    let stopReason: string | null = null;
    if (fed.stopped) {
      finishReason = 'stop';
      stopReason = fed.stopped.stop;
    }
    return { index, text, tokenIds: beam.tokens, logprobs: null, finishReason, stopReason };
  }
}
