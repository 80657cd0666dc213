import type { DeviceSampling } from '@cinder/engine';
import { describe, expect, it } from 'vitest';
import {
  biasList,
  drawPlan,
  LOCAL_DRAW_CANDIDATES,
  logitsRow,
  maskBias,
  parseCompletion,
  sampledToken,
} from './completion.ts';

/** An answer as llama-server 3.8.1's OAI completion format gives it (token strings trimmed). */
const answer = {
  choices: [
    {
      text: '\u{10002}',
      index: 0,
      finish_reason: 'length',
      logprobs: {
        content: [
          {
            id: 2,
            token: '\u{10002}',
            bytes: [240, 144, 128, 130],
            logprob: -1.5,
            top_logprobs: [
              { id: 5, token: '\u{10005}', bytes: [], logprob: -0.5 },
              { id: 2, token: '\u{10002}', bytes: [], logprob: -1.5 },
              { id: 0, token: '\u{10000}', bytes: [], logprob: null },
            ],
          },
        ],
      },
    },
  ],
};

const sampling = (over: Partial<DeviceSampling>): DeviceSampling => ({
  temperature: 1,
  topK: 0,
  topP: 1,
  uniform: 0.5,
  logprob: true,
  topLogprobs: 2,
  ...over,
});

describe('completion', () => {
  it('parses ids and logprobs, null as -Infinity', () => {
    const probs = parseCompletion(answer);
    expect(probs.token).toBe(2);
    expect(probs.logprob).toBe(-1.5);
    expect(probs.top).toEqual([
      { id: 5, logprob: -0.5 },
      { id: 2, logprob: -1.5 },
      { id: 0, logprob: Number.NEGATIVE_INFINITY },
    ]);
    expect([...logitsRow(probs, new Float32Array(6))]).toEqual([
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -1.5,
      Number.NEGATIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      -0.5,
    ]);
    expect(() => parseCompletion({ choices: [{ text: '' }] })).toThrow(/no token/);
  });

  it('reads the token from the text when no probabilities were asked for (n_probs 0)', () => {
    const chunk = (text: string) => ({ choices: [{ text, index: 0, logprobs: null }] });
    expect(parseCompletion(chunk('\u{10000}'))).toEqual({ token: 0, logprob: Number.NaN, top: [] });
    expect(parseCompletion(chunk('\u{10FFFF}')).token).toBe(0xfffff);
    for (const text of ['', 'a', '\u{10001}\u{10002}', '\uFFFF']) {
      expect(() => parseCompletion(chunk(text)), text).toThrow(/no token/);
    }
  });

  it('draws on our side when the candidates fit, on the server otherwise', () => {
    // Greedy: llama-server's argmax (temperature 0), probabilities only when reported.
    const greedy = drawPlan('p', sampling({ temperature: 0, topLogprobs: 5 }), 1000, false);
    expect(greedy).toMatchObject({ localDraw: false, body: { n_probs: 5, samplers: ['temperature'] } });
    const own = drawPlan('p', sampling({ temperature: 0, topLogprobs: 0 }), 1000, false);
    expect(own.body.n_probs).toBe(1);
    const quiet = drawPlan('p', sampling({ temperature: 0, logprob: false }), 1000, false);
    expect(quiet).toMatchObject({ localDraw: false, body: { n_probs: 0, temperature: 0 } });
    const topK = drawPlan('p', sampling({ topK: 40 }), 150_000, false);
    expect(topK).toMatchObject({ localDraw: true, body: { n_probs: 40 } });
    const smallVocab = drawPlan('p', sampling({ topP: 0.9 }), 64, false);
    expect(smallVocab).toMatchObject({ localDraw: true, body: { n_probs: 64 } });
    const server = drawPlan('p', sampling({ topP: 0.9, uniform: 0.25 }), LOCAL_DRAW_CANDIDATES + 1, false);
    expect(server).toMatchObject({
      localDraw: false,
      body: { n_probs: 2, samplers: ['temperature', 'top_k', 'top_p'], top_p: 0.9, seed: 2 ** 29 },
    });
    expect(drawPlan('p', sampling({}), 64, true).body.n_probs).toBe(64);
  });

  it('reports the drawn token with its raw logprob, or NaN when not asked', () => {
    const probs = parseCompletion(answer);
    // A local draw (top-k within the list) at a uniform that picks id 5.
    const draw = sampling({ topK: 2, uniform: 0.99 });
    const plan = drawPlan('p', draw, 6, false);
    expect(plan.localDraw).toBe(true);
    expect(sampledToken(probs, plan, draw)).toEqual({
      token: 5,
      logprob: -0.5,
      top: [
        { id: 5, logprob: -0.5 },
        { id: 2, logprob: -1.5 },
      ],
    });
    const server = { body: plan.body, localDraw: false };
    expect(sampledToken(probs, server, sampling({ logprob: false }))).toEqual({
      token: 2,
      logprob: Number.NaN,
      top: [],
    });
  });
});

describe('grammar masks as logit biases', () => {
  /** xgrammar's layout: bit id & 31 of word id >> 5. */
  const maskOf = (ids: number[], words: number) => {
    const mask = new Int32Array(words);
    for (const id of ids) mask[id >> 5] |= 1 << (id & 31);
    return mask;
  };

  it('lists the few allowed ids lifted far above the rest', () => {
    expect(maskBias(maskOf([3, 31, 32, 70], 3), 80)).toEqual([
      [3, 1000],
      [31, 1000],
      [32, 1000],
      [70, 1000],
    ]);
  });

  it('lists the few disallowed ids as never produced, ids past the mask included', () => {
    const all = Array.from({ length: 64 }, (_, id) => id).filter((id) => id !== 5 && id !== 40);
    // 70 tokens, a mask of two words (64 ids): 64..69 are past it.
    expect(maskBias(maskOf(all, 2), 70)).toEqual([5, 40, 64, 65, 66, 67, 68, 69].map((id) => [id, false]));
  });

  it("a masked draw is llama-server's (greedy or sampled), with the biases and the logprobs asked for", () => {
    const allowed = maskOf([1, 2], 1);
    const greedy = drawPlan(
      'p',
      sampling({ temperature: 0, logprob: true, topLogprobs: 3, allowed }),
      32,
      false,
    );
    expect(greedy.localDraw).toBe(false);
    expect(greedy.body).toMatchObject({
      samplers: ['temperature'],
      n_probs: 3,
      logit_bias: [
        [1, 1000],
        [2, 1000],
      ],
    });
    const sampled = drawPlan('p', sampling({ temperature: 0.7, topK: 5, uniform: 0.5, allowed }), 32, false);
    expect(sampled.localDraw).toBe(false); // top-k 5 would be a local draw without a mask
    expect(sampled.body).toMatchObject({ samplers: ['temperature', 'top_k', 'top_p'], top_k: 5 });
    expect(sampled.body.logit_bias).toEqual([
      [1, 1000],
      [2, 1000],
    ]);
  });

  it('a local draw over a whole row leaves the disallowed candidates out', () => {
    const probs = {
      token: 0,
      logprob: Math.log(0.5),
      top: [
        { id: 0, logprob: Math.log(0.5) },
        { id: 1, logprob: Math.log(0.3) },
        { id: 2, logprob: Math.log(0.2) },
      ],
    };
    const draw = sampling({ temperature: 0, allowed: maskOf([1, 2], 1) });
    const plan = drawPlan('p', draw, 3, true);
    expect(sampledToken(probs, plan, draw).token).toBe(1);
  });
});

describe('additions to the logits as logit biases', () => {
  it("adds the engine's additions to the mask's biases; a removed id stays removed", () => {
    const mask: Array<[number, number | false]> = [
      [2, 1000],
      [7, 1000],
    ];
    expect(
      biasList(
        mask,
        [
          [2, -0.5],
          [4, 1.5],
          [99, 3],
        ],
        10,
      ),
    ).toEqual([
      [2, 999.5],
      [4, 1.5],
      [7, 1000],
    ]);
    expect(
      biasList(
        [[3, false]],
        [
          [3, 2],
          [5, -1],
        ],
        10,
      ),
    ).toEqual([
      [3, false],
      [5, -1],
    ]);
    // A removal (min_tokens, bad_words) is llama-server's "never".
    expect(biasList([], [[6, Number.NEGATIVE_INFINITY]], 10)).toEqual([[6, false]]);
  });

  it("a draw with additions is llama-server's, streamed never", () => {
    const plan = drawPlan('p', sampling({ temperature: 0, logprob: false, bias: [[4, -1.2]] }), 32, false);
    expect(plan.localDraw).toBe(false);
    expect(plan.body).toMatchObject({ samplers: ['temperature'], logit_bias: [[4, -1.2]] });
  });
});
