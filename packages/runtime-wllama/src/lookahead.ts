/**
 * The streamed fast path: instead of one completion per device draw, a sequence that keeps drawing
 * with the same settings and feeding each draw back (the engine's decode loop) gets one streamed
 * completion of up to `window` tokens, and each step takes the next token from it. llama-server then decodes token after token without a new request, a
 * prompt to match or a slot launch in between (wllama's own createCompletion speed). A step
 * continues the stream only when the sequence is exactly the stream's prompt plus the tokens handed
 * out so far, with the same settings; anything else (other tokens, a truncate, other settings, the
 * end of the stream) cancels it and starts a new one.
 *
 * Greedy draws are exact: llama.cpp's `temperature` sampler at 0 keeps the first largest logit
 * (argmax, ties to the lowest id), the engine's rule, so every token is the one a completion per
 * step would give. Sampled draws stream only when asked (`sampled`): tokens after a stream's first
 * are then drawn by llama.cpp's RNG seeded from the uniform at the stream's start (reproducible
 * only while streams start at the same steps; not the CPU runtime's token for a given seed).
 *
 * Tokens computed ahead and never used are bounded three ways. A sequence missing from a step (its
 * request finished, or it sits in the prefix cache) has its stream cancelled then. A stream that
 * runs `lead` tokens ahead of the steps stops computing (greedy only: it restarts exactly where
 * the steps are); that covers a request that finished while nothing else runs. And a truncate
 * or release cancels it. Only tokens a step took ever enter the sequence's text, so
 * the KV cache llama-server keeps for tokens beyond is never matched as the sequence's own.
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

export interface LookaheadOptions {
  /** Most tokens per streamed completion. */
  readonly window: number;
  /** Tokens a greedy stream may run ahead of the steps before it stops computing. */
  readonly lead: number;
  /** Whether sampled (temperature > 0) draws stream too (see above). Default false. */
  readonly sampled?: boolean;
}

class TokenStream {
  private readonly queue: CompletionProbs[] = [];
  private handed = 0;
  private finished = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  readonly controller = new AbortController();
  /** Settles when llama-server is done with the completion (its slot is free again). */
  settled: Promise<void> = Promise.resolve();

  constructor(
    /** The sequence's text the next token continues. */
    public text: string,
    readonly settings: string,
    readonly length: number,
    /** Queued tokens at which the stream stops computing (Infinity: never). */
    private readonly lead: number,
  ) {}

  continues(text: string, settings: string): boolean {
    const exhausted = this.handed >= this.length || (this.finished && this.queue.length === 0);
    return !exhausted && settings === this.settings && text === this.text;
  }

  push(probs: CompletionProbs): void {
    if (this.finished) return;
    this.queue.push(probs);
    if (this.queue.length >= this.lead) this.stop();
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

  /** Stops computing; the tokens already queued can still be taken. */
  stop(): void {
    this.controller.abort();
    this.end();
  }

  /** Stops the completion; a step still waiting on this stream fails. */
  cancel(): void {
    this.controller.abort();
    this.end(new Error('The streamed completion was cancelled'));
  }
}

export class Lookahead {
  private readonly streams = new Map<number, TokenStream>();
  /** Per sequence: its text once its last draw is fed back, with the draw's settings. */
  private readonly expected = new Map<number, string>();
  /** Streamed completions started so far (bench, tests). */
  started = 0;
  readonly window: number;
  private readonly lead: number;
  private readonly sampled: boolean;

  constructor(
    private readonly stream: StreamCompletion,
    private readonly slots: Slots,
    options: LookaheadOptions,
  ) {
    this.window = options.window;
    this.lead = options.lead;
    this.sampled = options.sampled ?? false;
  }

  /** Whether draws with these settings are streamed. */
  covers(draw: DeviceSampling): boolean {
    // A grammar's mask and penalties change with every token: one completion per draw.
    if (draw.allowed || draw.bias?.length) return false;
    return this.sampled || draw.temperature < GREEDY_TEMPERATURE;
  }

  /**
   * Whether sequence `id`'s draw (its text is `text`) streams: it fed its last draw back with the
   * same settings (the engine's decode loop). Other draws (the first after a prompt, a sequence that
   * takes other tokens than it drew) are one completion each: a stream would be thrown away.
   */
  follows(id: number, text: string, draw: DeviceSampling): boolean {
    return this.expected.get(id) === `${settingsOf(draw)}\n${text}`;
  }

  /** Sequence `id` with text `text` drew `token` (by a completion of its own). */
  drawn(id: number, text: string, draw: DeviceSampling, token: number): void {
    this.expected.set(id, `${settingsOf(draw)}\n${text}${tokenChar(token)}`);
  }

  /**
   * A runtime step over these sequences begins: the streams of the others were left behind (their
   * request finished, or they wait in a prefix cache) and stop.
   */
  stepping(ids: readonly number[]): void {
    for (const id of [...this.streams.keys()]) if (!ids.includes(id)) this.cancel(id);
  }

  /**
   * The next draw of sequence `id`, whose text (this step's tokens included) is `text`; `room`:
   * tokens the sequence may still grow by (a stream never asks for more).
   */
  async draw(id: number, text: string, draw: DeviceSampling, room: number): Promise<SampledToken> {
    const settings = settingsOf(draw);
    let stream = this.streams.get(id);
    let probs: CompletionProbs | null = null;
    if (stream?.continues(text, settings)) probs = await stream.next();
    if (!probs) {
      stream?.cancel();
      // The old completion leaves its slot first: llama-server then finds the sequence's KV cache
      // in that slot instead of starting in another one.
      if (stream) await stream.settled;
      stream = this.start(id, text, draw, settings, Math.max(1, Math.min(this.window, room)));
      probs = await stream.next();
    }
    if (!probs) throw new Error(`llama-server streamed no token for sequence ${id}`);
    this.drawn(id, text, draw, probs.token);
    if (!draw.logprob) return { token: probs.token, logprob: Number.NaN, top: [] };
    return { token: probs.token, logprob: probs.logprob, top: probs.top.slice(0, draw.topLogprobs) };
  }

  /** Stops sequence `id`'s stream (truncated, left out of a step). */
  cancel(id: number): void {
    this.streams.get(id)?.cancel();
    this.streams.delete(id);
  }

  /** Forgets sequence `id` (released). */
  forget(id: number): void {
    this.cancel(id);
    this.expected.delete(id);
  }

  cancelAll(): void {
    for (const id of [...this.streams.keys()]) this.cancel(id);
    this.expected.clear();
  }

  /** Live streams (tests). */
  get size(): number {
    return this.streams.size;
  }

  private start(
    id: number,
    text: string,
    draw: DeviceSampling,
    settings: string,
    length: number,
  ): TokenStream {
    const greedy = draw.temperature < GREEDY_TEMPERATURE;
    const stream = new TokenStream(text, settings, length, greedy ? this.lead : Number.POSITIVE_INFINITY);
    this.started++;
    const reported = draw.logprob ? Math.max(1, draw.topLogprobs) : 0;
    const body = greedy
      ? // argmax, ties to the lowest id; no probabilities unless asked (they cost a sort of the vocabulary)
        { samplers: ['temperature'], temperature: 0, top_k: 0, top_p: 1 }
      : {
          samplers: ['temperature', 'top_k', 'top_p'],
          temperature: draw.temperature,
          top_k: draw.topK,
          top_p: draw.topP,
        };
    const request = {
      prompt: text,
      n_predict: length,
      cache_prompt: true,
      n_probs: reported,
      ...body,
      seed: Math.floor(draw.uniform * 2 ** 31),
    };
    const { signal } = stream.controller;
    const onChunk = (chunk: unknown) => {
      const probs = streamedToken(chunk);
      if (probs) stream.push(probs);
    };
    stream.settled = this.slots
      .run(() => (signal.aborted ? Promise.resolve() : this.stream(request, onChunk, signal)))
      .then(
        () => stream.end(),
        (error: unknown) => stream.end(signal.aborted ? null : error),
      );
    this.streams.set(id, stream);
    return stream;
  }
}

function settingsOf(draw: DeviceSampling): string {
  const sampling =
    draw.temperature < GREEDY_TEMPERATURE ? 'greedy' : `${draw.temperature}/${draw.topK}/${draw.topP}`;
  return `${sampling}/${draw.logprob ? draw.topLogprobs : '-'}`;
}

/** A streamed chunk's token, or null for chunks without one (the final one). */
export function streamedToken(chunk: unknown): CompletionProbs | null {
  try {
    return parseCompletion(chunk);
  } catch {
    return null;
  }
}
