import type { DeviceSampling } from '@cinder/engine';
import { describe, expect, it } from 'vitest';
import { Lookahead, type StreamCompletion } from './lookahead.ts';
import { Slots } from './slots.ts';
import { idsToText, textToIds } from './token-text.ts';

const GREEDY: DeviceSampling = {
  temperature: 0,
  topK: 0,
  topP: 1,
  uniform: 0,
  logprob: true,
  topLogprobs: 1,
};

/**
 * Stands in for llama-server's streamed completion (wllama cannot run in Node): it "predicts" the
 * last prompt id + 1, again and again, one chunk per token in llama-server's format.
 */
function countingServer() {
  const started: { prompt: number[]; signal: AbortSignal; body: Readonly<Record<string, unknown>> }[] = [];
  const stream: StreamCompletion = async (body, onChunk, signal) => {
    const prompt = textToIds(String(body.prompt));
    started.push({ prompt, signal, body });
    let last = prompt[prompt.length - 1];
    for (let i = 0; i < Number(body.n_predict); i++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (signal.aborted) throw new Error('aborted');
      last += 1;
      const entry = { id: last, logprob: -0.5 };
      onChunk({ choices: [{ logprobs: { content: [{ ...entry, top_logprobs: [entry] }] } }] });
    }
    onChunk({ choices: [{ text: '', finish_reason: 'length' }] });
  };
  return { stream, started };
}

describe('Lookahead', () => {
  it('hands out a window of streamed tokens while the sequence follows them', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(2), 4);
    let ids = [10];
    const drawn: number[] = [];
    for (let i = 0; i < 6; i++) {
      const { token, logprob, top } = await lookahead.draw(1, idsToText(ids), GREEDY);
      expect([logprob, top]).toEqual([-0.5, [{ id: token, logprob: -0.5 }]]);
      drawn.push(token);
      ids = [...ids, token];
    }
    expect(drawn).toEqual([11, 12, 13, 14, 15, 16]);
    // One stream per window of 4: the second starts from the sequence as it then is.
    expect(server.started.map((s) => s.prompt)).toEqual([[10], [10, 11, 12, 13, 14]]);
    expect(server.started[0].body).toMatchObject({ n_predict: 4, samplers: ['top_k'], top_k: 1, n_probs: 1 });
  });

  it('starts again, cancelling the old stream, when the sequence or the settings change', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(2), 8);
    expect((await lookahead.draw(1, idsToText([10]), GREEDY)).token).toBe(11);
    // The engine appended another token than the one handed out.
    expect((await lookahead.draw(1, idsToText([10, 20]), GREEDY)).token).toBe(21);
    expect(server.started[0].signal.aborted).toBe(true);
    // Same tokens, other settings.
    const warm = { ...GREEDY, temperature: 0.7, topK: 5, uniform: 0.5, logprob: false };
    expect(await lookahead.draw(1, idsToText([10, 20, 21]), warm)).toEqual({
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
    expect((await lookahead.draw(1, idsToText([10, 20, 21, 22]), warm)).token).toBe(23);
    expect(server.started).toHaveLength(4);
    lookahead.cancelAll();
  });

  it('keeps sequences apart', async () => {
    const server = countingServer();
    const lookahead = new Lookahead(server.stream, new Slots(2), 4);
    const [a, b] = await Promise.all([
      lookahead.draw(1, idsToText([100]), GREEDY),
      lookahead.draw(2, idsToText([200]), GREEDY),
    ]);
    expect([a.token, b.token]).toEqual([101, 201]);
    expect((await lookahead.draw(2, idsToText([200, 201]), GREEDY)).token).toBe(202);
    expect(server.started).toHaveLength(2);
    lookahead.cancelAll();
  });
});
