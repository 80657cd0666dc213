import type { DeviceSampling } from '@cinder/engine';
import { describe, expect, it } from 'vitest';
import { Lookahead, type LookaheadOptions, type StreamCompletion } from './lookahead.ts';
import { Slots } from './slots.ts';
import { idsToText, textToIds, tokenChar } from './token-text.ts';

const GREEDY: DeviceSampling = {
  temperature: 0,
  topK: 0,
  topP: 1,
  uniform: 0,
  logprob: true,
  topLogprobs: 1,
};
const QUIET: DeviceSampling = { ...GREEDY, logprob: false, topLogprobs: 0 };
const ROOM = 1000;

/**
 * Stands in for llama-server's streamed completion (wllama cannot run in Node): it "predicts" the
 * last prompt id + 1, again and again, one chunk per token in llama-server's format (with
 * probabilities when `n_probs` > 0, else only the token's text). `computed` counts tokens made.
 */
function countingServer() {
  const started: { prompt: number[]; signal: AbortSignal; body: Readonly<Record<string, unknown>> }[] = [];
  const state = { computed: 0 };
  const stream: StreamCompletion = async (body, onChunk, signal) => {
    const prompt = textToIds(String(body.prompt));
    started.push({ prompt, signal, body });
    let last = prompt[prompt.length - 1];
    for (let i = 0; i < Number(body.n_predict); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (signal.aborted) throw new Error('aborted');
      last += 1;
      state.computed++;
      const entry = { id: last, logprob: -0.5 };
      const logprobs = Number(body.n_probs) > 0 ? { content: [{ ...entry, top_logprobs: [entry] }] } : null;
      onChunk({ choices: [{ text: tokenChar(last), logprobs }] });
    }
    onChunk({ choices: [{ text: '', finish_reason: 'length' }] });
  };
  return { stream, started, state };
}

const options = (over: Partial<LookaheadOptions> = {}): LookaheadOptions => ({
  window: 4,
  lead: 1000,
  ...over,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Lookahead', () => {
  it('hands out a window of streamed tokens while the sequence follows them', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(2), options());
    let ids = [10];
    const drawn: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { token, logprob, top } = await lookahead.draw(1, idsToText(ids), GREEDY, ROOM);
      expect([logprob, top]).toEqual([-0.5, [{ id: token, logprob: -0.5 }]]);
      drawn.push(token);
      ids = [...ids, token];
    }
    expect(drawn).toEqual([11, 12, 13, 14, 15, 16]);
    // One stream per window of 4: the second starts from the sequence as it then is.
    expect(server.started.map((s) => s.prompt)).toEqual([[10], [10, 11, 12, 13, 14]]);
    // Greedy: llama.cpp's argmax (temperature 0, ties to the lowest id).
    expect(server.started[0].body).toMatchObject({
      n_predict: 4,
      samplers: ['temperature'],
      temperature: 0,
      n_probs: 1,
    });
    lookahead.cancelAll();
  });

  it('asks for no probabilities when none are reported, and reads tokens from the text', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(1), options());
    expect(await lookahead.draw(1, idsToText([7]), QUIET, ROOM)).toEqual({
      token: 8,
      logprob: Number.NaN,
      top: [],
    });
    expect(server.started[0].body.n_probs).toBe(0);
    lookahead.cancelAll();
  });

  it('never streams past the room the sequence has left', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(1), options({ window: 64 }));
    await lookahead.draw(1, idsToText([7]), QUIET, 3);
    await lookahead.draw(2, idsToText([7]), QUIET, 0);
    expect(server.started.map((s) => s.body.n_predict)).toEqual([3, 1]);
    lookahead.cancelAll();
  });

  it('starts again, cancelling the old stream, when the sequence or the settings change', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(2), options({ window: 8, sampled: true }));
    expect((await lookahead.draw(1, idsToText([10]), GREEDY, ROOM)).token).toBe(11);
    // The engine appended another token than the one handed out.
    expect((await lookahead.draw(1, idsToText([10, 20]), GREEDY, ROOM)).token).toBe(21);
    expect(server.started[0].signal.aborted).toBe(true);
    // Same tokens, other settings.
    const warm = { ...GREEDY, temperature: 0.7, topK: 5, uniform: 0.5, logprob: false };
    expect(await lookahead.draw(1, idsToText([10, 20, 21]), warm, ROOM)).toEqual({
      token: 22,
      logprob: Number.NaN,
      top: [],
    });
    expect(server.started[2].body).toMatchObject({
      samplers: ['temperature', 'top_k', 'top_p'],
      temperature: 0.7,
      top_k: 5,
      seed: 2 ** 30,
    });
    // A truncated or released sequence forgets its stream.
    lookahead.cancel(1);
    expect(server.started[2].signal.aborted).toBe(true);
    expect((await lookahead.draw(1, idsToText([10, 20, 21, 22]), warm, ROOM)).token).toBe(23);
    expect(server.started).toHaveLength(4);
    lookahead.cancelAll();
  });

  it('streams sampled draws only when asked (the engine uniform decides otherwise)', () => {
    const server = countingServer();
    const warm = { ...GREEDY, temperature: 0.7 };
    expect(new Lookahead(server.stream, new Slots(1), options()).covers(warm)).toBe(false);
    expect(
      new Lookahead(server.stream, new Slots(1), options()).covers({ ...GREEDY, temperature: 1e-6 }),
    ).toBe(true);
    expect(new Lookahead(server.stream, new Slots(1), options({ sampled: true })).covers(warm)).toBe(true);
  });

  it('keeps sequences apart', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(2), options());
    const [a, b] = await Promise.all([
      lookahead.draw(1, idsToText([100]), GREEDY, ROOM),
      lookahead.draw(2, idsToText([200]), GREEDY, ROOM),
    ]);
    expect([a.token, b.token]).toEqual([101, 201]);
    expect((await lookahead.draw(2, idsToText([200, 201]), GREEDY, ROOM)).token).toBe(202);
    expect(server.started).toHaveLength(2);
    lookahead.cancelAll();
  });

  it('stops computing `lead` tokens ahead of the steps; the queued ones still serve, exactly', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(1), options({ window: 64, lead: 3 }));
    expect((await lookahead.draw(1, idsToText([10]), QUIET, ROOM)).token).toBe(11);
    // Nobody steps (the request finished, nothing else runs): the stream stops 3 tokens ahead.
    await sleep(40);
    expect(server.started[0].signal.aborted).toBe(true);
    expect(server.state.computed).toBe(4);
    // The sequence goes on after all: the queued tokens, then a new stream from where it is.
    let ids = [10, 11];
    for (let i = 0; i < 5; i++) {
      const { token } = await lookahead.draw(1, idsToText(ids), QUIET, ROOM);
      ids = [...ids, token];
    }
    expect(ids).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(server.started.map((s) => s.prompt)).toEqual([[10], [10, 11, 12, 13, 14]]);
    lookahead.cancelAll();
  });

  it('stops the streams of sequences a step leaves out (finished requests, prefix-cache entries)', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(2), options({ window: 64 }));
    lookahead.stepping([1, 2]);
    await Promise.all([
      lookahead.draw(1, idsToText([100]), QUIET, ROOM),
      lookahead.draw(2, idsToText([200]), QUIET, ROOM),
    ]);
    lookahead.stepping([2]);
    expect(server.started[0].signal.aborted).toBe(true);
    expect(server.started[1].signal.aborted).toBe(false);
    expect(lookahead.size).toBe(1);
    expect((await lookahead.draw(2, idsToText([200, 201]), QUIET, ROOM)).token).toBe(202);
    // Sequence 1 comes back (a fork of it would be another id): a new stream, same tokens.
    lookahead.stepping([1, 2]);
    expect((await lookahead.draw(1, idsToText([100, 101]), QUIET, ROOM)).token).toBe(102);
    expect(server.started).toHaveLength(3);
    lookahead.cancelAll();
    expect(lookahead.size).toBe(0);
  });

  it('a step waiting on a cancelled stream fails; a failed stream fails its step', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(1), options());
    const waiting = lookahead.draw(1, idsToText([1]), QUIET, ROOM);
    lookahead.cancel(1);
    await expect(waiting).rejects.toThrow(/cancelled/);
    const broken = new Lookahead(
      async () => {
        throw new Error('llama-server said no');
      },
      new Slots(1),
      options(),
    );
    await expect(broken.draw(1, idsToText([1]), QUIET, ROOM)).rejects.toThrow(/said no/);
  });
});
