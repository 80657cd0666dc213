/**
 * The wllama runtime: llama.cpp in WebAssembly behind the engine's Runtime interface. wllama 3.8.1
 * embeds llama-server, so the runtime speaks to it in completions (completion.ts):
 *
 *   - a sequence is its token ids as text (token-text.ts); createSequence, fork and truncate are
 *     bookkeeping on that text. The KV cache lives in llama-server, which finds a sequence's prefix
 *     in its slots or its prompt cache by content (cache_prompt) and evaluates only what is new;
 *   - a step with output sends one completion per sequence (at most `parallel` at once; the server
 *     batches them into one decode). A step without output (`none`, no draw) sends nothing: its
 *     tokens are evaluated with the sequence's next output;
 *   - greedy device draws (and sampled ones with `sampledLookahead`) come from streamed completions
 *     of several tokens (lookahead.ts): exact, at wllama's own speed;
 *   - logits rows are log-probabilities (log-softmax of the raw logits, from `n_probs` = vocab), not
 *     raw logits. Everything that is shift-invariant (temperature, top-k/p, min-p, logprobs,
 *     logit_bias, grammars, presence/frequency penalties) is unaffected; repetition_penalty's rule
 *     (divide positive logits, multiply negative ones) sees only negative values. A full row costs
 *     llama-server a JSON list of the whole vocabulary, slow for large vocabularies (~1 s/token at
 *     128k tokens): draws on the device (deviceSampling) read only a few entries;
 *   - grammars (structured outputs, tools) draw on the device too (deviceMasks): the engine's mask
 *     goes to llama-server as logit biases, one completion per token; and so do logit_bias and
 *     presence / frequency penalties (deviceBias), added to those biases.
 */
import type {
  DeviceSampling,
  KvSequence,
  ModelInfo,
  Runtime,
  SampledToken,
  StepInput,
  StepOutput,
} from '@cinder/engine';
import {
  type CompletionBody,
  type CompletionProbs,
  drawPlan,
  logitsRow,
  parseCompletion,
  probsBody,
  sampledToken,
} from './completion.ts';
import { Lookahead, type StreamCompletion } from './lookahead.ts';
import { Slots } from './slots.ts';
import { idsToText, UNITS_PER_TOKEN } from './token-text.ts';

/** What the runtime needs of a loaded wllama: completions (streamed for `lookahead`), shutting down. */
export interface CompletionBackend {
  complete(body: Readonly<Record<string, unknown>>): Promise<unknown>;
  stream?: StreamCompletion;
  exit(): Promise<void>;
}

export interface WllamaRuntimeSettings {
  /** llama-server slots. */
  readonly parallel: number;
  /** Threads llama.cpp computes with. */
  readonly threads: number;
  /**
   * Most tokens per streamed completion for greedy device draws (lookahead.ts). Default
   * DEFAULT_LOOKAHEAD; 0 or 1: one completion per draw.
   */
  readonly lookahead?: number;
  /** Tokens a stream may compute ahead of the steps. Default DEFAULT_LOOKAHEAD_LEAD. */
  readonly lookaheadLead?: number;
  /** Sampled draws stream too (llama.cpp's RNG then draws within a stream). Default false. */
  readonly sampledLookahead?: boolean;
}

/** Default most tokens per streamed completion. */
export const DEFAULT_LOOKAHEAD = 64;
/** Default tokens a stream may compute ahead of the steps. */
export const DEFAULT_LOOKAHEAD_LEAD = 8;

/** A sequence: its tokens as text (two UTF-16 units per token). */
class TextSequence implements KvSequence {
  constructor(
    readonly id: number,
    public text: string,
  ) {}
  get length(): number {
    return this.text.length / UNITS_PER_TOKEN;
  }
}

export class WllamaRuntime implements Runtime {
  readonly backend = 'wllama';
  readonly deviceSampling = true;
  /** Grammar masks go to llama-server as logit biases (completion.ts maskBias). */
  readonly deviceMasks = true;
  /** So do logit_bias and presence / frequency penalties (completion.ts biasList). */
  readonly deviceBias = true;
  private wllama: CompletionBackend | null;
  private readonly slots: Slots;
  private readonly sequences = new Map<number, TextSequence>();
  private nextId = 1;

  /** llama-server slots: completions in flight at once. */
  readonly parallel: number;
  /** Threads llama.cpp computes with (1: wllama's single-thread build). */
  readonly threads: number;

  /** Streamed draws; null when off or the backend cannot stream. */
  readonly lookahead: Lookahead | null;
  /** Rejects when the runtime is disposed: completions in flight stop waiting. */
  private readonly disposed: Promise<never>;
  private abandon: (reason: Error) => void = () => {};

  constructor(
    wllama: CompletionBackend,
    readonly model: ModelInfo,
    settings: WllamaRuntimeSettings,
  ) {
    this.wllama = wllama;
    this.parallel = settings.parallel;
    this.threads = settings.threads;
    this.slots = new Slots(settings.parallel);
    const { stream } = wllama;
    const window = settings.lookahead ?? DEFAULT_LOOKAHEAD;
    this.lookahead =
      stream && window > 1
        ? new Lookahead(stream, this.slots, {
            window,
            lead: settings.lookaheadLead ?? DEFAULT_LOOKAHEAD_LEAD,
            sampled: settings.sampledLookahead ?? false,
          })
        : null;
    this.disposed = new Promise<never>((_, reject) => {
      this.abandon = reject;
    });
    this.disposed.catch(() => {});
  }

  createSequence(): KvSequence {
    this.live();
    const sequence = new TextSequence(this.nextId++, '');
    this.sequences.set(sequence.id, sequence);
    return sequence;
  }

  async step(batch: readonly StepInput[]): Promise<StepOutput[]> {
    this.live();
    const sequences = batch.map((input) => this.sequenceOf(input.sequence));
    batch.forEach((input, i) => {
      this.check(input, sequences[i], sequences.indexOf(sequences[i]) !== i);
    });
    this.lookahead?.stepping(sequences.map((sequence) => sequence.id));
    const starts = sequences.map((sequence) => sequence.length);
    batch.forEach((input, i) => {
      sequences[i].text += idsToText(input.tokens);
    });
    try {
      return await Promise.all(batch.map((input, i) => this.output(input, sequences[i], starts[i])));
    } catch (error) {
      sequences.forEach((sequence, i) => {
        sequence.text = sequence.text.slice(0, starts[i] * UNITS_PER_TOKEN);
        this.lookahead?.cancel(sequence.id);
      });
      throw error;
    }
  }

  fork(sequence: KvSequence, length: number = sequence.length): KvSequence {
    const parent = this.sequenceOf(sequence);
    checkLength(length, parent);
    const child = new TextSequence(this.nextId++, parent.text.slice(0, length * UNITS_PER_TOKEN));
    this.sequences.set(child.id, child);
    return child;
  }

  truncate(sequence: KvSequence, length: number): void {
    const own = this.sequenceOf(sequence);
    checkLength(length, own);
    own.text = own.text.slice(0, length * UNITS_PER_TOKEN);
    this.lookahead?.cancel(own.id);
  }

  release(sequence: KvSequence): void {
    this.sequenceOf(sequence);
    this.sequences.delete(sequence.id);
    this.lookahead?.forget(sequence.id);
  }

  async dispose(): Promise<void> {
    const wllama = this.wllama;
    this.wllama = null;
    this.sequences.clear();
    this.lookahead?.cancelAll();
    // Exiting terminates wllama's worker: answers still awaited would never come.
    this.abandon(new Error('This wllama runtime was disposed during the step'));
    await wllama?.exit();
  }

  /** One completion through a free slot (for the bench: the same path a step takes). */
  async complete(body: CompletionBody): Promise<CompletionProbs> {
    const wllama = this.live();
    return parseCompletion(await this.slots.run(() => Promise.race([wllama.complete(body), this.disposed])));
  }

  /** The loaded wllama itself (bench: its own createCompletion speed). */
  get completions(): CompletionBackend {
    return this.live();
  }

  private async output(input: StepInput, sequence: TextSequence, start: number): Promise<StepOutput> {
    const vocab = this.model.vocabSize;
    const { sample } = input;
    if (input.logits === 'all') {
      const count = input.tokens.length;
      const rows = new Float32Array(count * vocab);
      let sampled: SampledToken | undefined;
      for (let j = 0; j < count; j++) {
        const prompt = sequence.text.slice(0, (start + j + 1) * UNITS_PER_TOKEN);
        const body = probsBody(prompt, vocab);
        const probs = await this.complete(body);
        logitsRow(probs, rows.subarray(j * vocab, (j + 1) * vocab));
        if (sample && j === count - 1) sampled = sampledToken(probs, { body, localDraw: true }, sample);
      }
      return sampled ? { logits: rows, sampled } : { logits: rows };
    }
    if (input.logits === 'last') {
      if (!sample)
        return { logits: logitsRow(await this.complete(probsBody(sequence.text, vocab)), this.row()) };
      return this.draw(sequence.text, sample, true);
    }
    if (!sample) return { logits: new Float32Array(0) };
    const { lookahead } = this;
    if (lookahead?.covers(sample)) {
      if (lookahead.follows(sequence.id, sequence.text, sample)) {
        const room = this.model.contextLength - sequence.length;
        const sampled = await lookahead.draw(sequence.id, sequence.text, sample, room);
        return { logits: new Float32Array(0), sampled };
      }
      const output = await this.draw(sequence.text, sample, false);
      if (output.sampled) lookahead.drawn(sequence.id, sequence.text, sample, output.sampled.token);
      return output;
    }
    return this.draw(sequence.text, sample, false);
  }

  private async draw(prompt: string, sample: DeviceSampling, withRow: boolean): Promise<StepOutput> {
    const plan = drawPlan(prompt, sample, this.model.vocabSize, withRow);
    const probs = await this.complete(plan.body);
    return {
      logits: withRow ? logitsRow(probs, this.row()) : new Float32Array(0),
      sampled: sampledToken(probs, plan, sample),
    };
  }

  private row(): Float32Array {
    return new Float32Array(this.model.vocabSize);
  }

  private live(): CompletionBackend {
    if (!this.wllama) throw new Error('This wllama runtime has been disposed');
    return this.wllama;
  }

  private sequenceOf(sequence: KvSequence): TextSequence {
    this.live();
    const own = this.sequences.get(sequence.id);
    if (!own) throw new Error(`Sequence ${sequence.id} does not exist or was released`);
    return own;
  }

  /** Rejects a bad input before any work is done, so a failed step changes nothing. */
  private check(input: StepInput, sequence: TextSequence, repeated: boolean): void {
    const { tokens } = input;
    const { id } = sequence;
    if (repeated) throw new Error(`Sequence ${id} appears twice in one step`);
    if (input.logits !== 'none' && tokens.length === 0) {
      throw new RangeError(`Sequence ${id}: logits '${input.logits}' needs at least one token`);
    }
    if (input.sample && sequence.length + tokens.length === 0) {
      throw new RangeError(`Sequence ${id}: a draw needs at least one token`);
    }
    if (sequence.length + tokens.length > this.model.contextLength) {
      throw new RangeError(
        `Sequence ${id}: ${sequence.length} cached + ${tokens.length} new tokens exceed the context length ${this.model.contextLength}`,
      );
    }
    for (let j = 0; j < tokens.length; j++) {
      const token = tokens[j];
      if (!Number.isInteger(token) || token < 0 || token >= this.model.vocabSize) {
        throw new RangeError(
          `Sequence ${id}: token id ${token} is outside the vocabulary [0, ${this.model.vocabSize})`,
        );
      }
    }
  }
}

function checkLength(length: number, sequence: TextSequence): void {
  if (!Number.isInteger(length) || length < 0 || length > sequence.length) {
    throw new RangeError(
      `Length ${length} is not within sequence ${sequence.id}'s ${sequence.length} cached tokens`,
    );
  }
}
