/**
 * The streamed fast path (option `lookahead`): instead of one completion per device draw, a
 * sequence that keeps drawing with the same settings gets one streamed completion of `window`
 * tokens, and each step takes the next token from it. llama-server then decodes token after token
 * without a worker round trip, a prompt or a slot launch in between (wllama's own createCompletion
 * speed). A step continues the stream only when the sequence is exactly the stream's prompt plus
 * the tokens handed out so far, with the same settings; anything else (other tokens, a truncate,
 * other settings, the end of the window or an early stop at an end-of-generation token) cancels it
 * and starts a new one. At most `window - 1` tokens are computed for nothing when a sequence stops.
 *
 * What changes: tokens after the first of a window are drawn by llama.cpp's sampler with its own
 * RNG, seeded from the engine's uniform at the window's start. Runs are reproducible (same seed,
 * same tokens) and the distribution is the same, but a given uniform no longer picks the same token
 * as on the CPU runtime. Greedy decoding is unchanged (ties aside).
 */
import type { DeviceSampling, SampledToken } from '@cinder/engine';
import { type CompletionProbs, parseCompletion } from './completion.ts';
import { GREEDY_TEMPERATURE } from './draw.ts';
import type { Slots } from './slots.ts';
import { tokenChar } from './token-text.ts';

/** Streams a completion: `onChunk` per token chunk, resolves at the end; rejects when aborted. */
export type StreamCompletion = (
  body: Readonly<Record<string, unknown>>,
  onChunk: (chunk: unknown) => void,
  signal: AbortSignal,
) => Promise<void>;

class TokenStream {
  private readonly queue: CompletionProbs[] = [];
  private handed = 0;
  private finished = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  readonly controller = new AbortController();

  constructor(
    /** The sequence's text the next token continues. */
    public text: string,
    readonly settings: string,
    readonly window: number,
  ) {}

  continues(text: string, settings: string): boolean {
    const exhausted = this.handed >= this.window || (this.finished && this.queue.length === 0);
    return !exhausted && settings === this.settings && text === this.text;
  }

  push(probs: CompletionProbs): void {
    this.queue.push(probs);
    this.wake?.();
  }

  end(failure: unknown = null): void {
    if (this.finished) return;
    this.finished = true;
    this.failure = failure;
    this.wake?.();
  }

  /** The next token, or null when the stream ended without one. */
  async next(): Promise<CompletionProbs | null> {
    while (this.queue.length === 0 && !this.finished) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      this.wake = null;
    }
    const probs = this.queue.shift();
    if (probs) {
      this.handed++;
      this.text += tokenChar(probs.token);
      return probs;
    }
    if (this.failure) throw this.failure;
    return null;
  }

  /** Stops the completion; a step still waiting on this stream fails. */
  cancel(): void {
    this.controller.abort();
    this.end(new Error('The streamed completion was cancelled'));
  }
}

export class Lookahead {
  private readonly streams = new Map<number, TokenStream>();

  constructor(
    private readonly stream: StreamCompletion,
    private readonly slots: Slots,
    readonly window: number,
  ) {}

  /** The next draw of sequence `id`, whose text (this step's tokens included) is `text`. */
  async draw(id: number, text: string, draw: DeviceSampling): Promise<SampledToken> {
    const settings = settingsOf(draw);
    let stream = this.streams.get(id);
    let probs: CompletionProbs | null = null;
    if (stream?.continues(text, settings)) probs = await stream.next();
    if (!probs) {
      stream?.cancel();
      stream = this.start(id, text, draw, settings);
      probs = await stream.next();
    }
    if (!probs) throw new Error(`llama-server streamed no token for sequence ${id}`);
    if (!draw.logprob) return { token: probs.token, logprob: Number.NaN, top: [] };
    return { token: probs.token, logprob: probs.logprob, top: probs.top.slice(0, draw.topLogprobs) };
  }

  /** Forgets sequence `id`'s stream (truncated or released). */
  cancel(id: number): void {
    this.streams.get(id)?.cancel();
    this.streams.delete(id);
  }

  cancelAll(): void {
    for (const id of [...this.streams.keys()]) this.cancel(id);
  }

  private start(id: number, text: string, draw: DeviceSampling, settings: string): TokenStream {
    const stream = new TokenStream(text, settings, this.window);
    const greedy = draw.temperature < GREEDY_TEMPERATURE;
    const body = {
      prompt: text,
      n_predict: this.window,
      cache_prompt: true,
      n_probs: Math.max(1, draw.logprob ? draw.topLogprobs : 0),
      samplers: greedy ? ['top_k'] : ['temperature', 'top_k', 'top_p'],
      temperature: greedy ? 0 : draw.temperature,
      top_k: greedy ? 1 : draw.topK,
      top_p: greedy ? 1 : draw.topP,
      seed: Math.floor(draw.uniform * 2 ** 31),
    };
    const { signal } = stream.controller;
    const onChunk = (chunk: unknown) => {
      const probs = tokenOf(chunk);
      if (probs) stream.push(probs);
    };
    this.slots
      .run(() => this.stream(body, onChunk, signal))
      .then(
        () => stream.end(),
        (error: unknown) => stream.end(signal.aborted ? null : error),
      );
    this.streams.set(id, stream);
    return stream;
  }
}

function settingsOf(draw: DeviceSampling): string {
  return `${draw.temperature}/${draw.topK}/${draw.topP}/${draw.logprob}/${draw.topLogprobs}`;
}

/** A streamed chunk's token, or null for chunks without one (the final one). */
function tokenOf(chunk: unknown): CompletionProbs | null {
  try {
    return parseCompletion(chunk);
  } catch {
    return null;
  }
}
