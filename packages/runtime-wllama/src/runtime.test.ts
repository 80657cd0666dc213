/**
 * WllamaRuntime over a stand-in llama-server (wllama cannot run in Node): a "model" whose next token
 * is a hash of the whole sequence, so a prompt that carried one token too many (or too few) would
 * change every later token. Streamed greedy draws (the default) must give exactly the tokens of one
 * completion per step, however a generation stops, and leave nothing behind in the sequences.
 */
import type { KvSequence, ModelInfo } from '@cinder/engine';
import { GREEDY_DEVICE_SAMPLING } from '@cinder/engine';
import { describe, expect, it } from 'vitest';
import type { StreamCompletion } from './lookahead.ts';
import { type CompletionBackend, WllamaRuntime } from './runtime.ts';
import { textToIds, tokenChar } from './token-text.ts';

const VOCAB = 97;
const MODEL: ModelInfo = {
  architecture: 'LlamaForCausalLM',
  vocabSize: VOCAB,
  contextLength: 256,
  dtype: 'f32',
  weightBytes: 0,
};
const GREEDY = GREEDY_DEVICE_SAMPLING;

/** The stand-in model: the next token after `ids`. */
function next(ids: readonly number[]): number {
  let hash = 7;
  for (const id of ids) hash = (hash * 31 + id + 1) % 1_000_003;
  return hash % VOCAB;
}

/** A token chunk as llama-server sends it (with probabilities when `n_probs` > 0). */
function chunk(token: number, nProbs: number) {
  const entry = { id: token, logprob: -0.25 };
  const logprobs = nProbs > 0 ? { content: [{ ...entry, top_logprobs: [entry] }] } : null;
  return { choices: [{ text: tokenChar(token), index: 0, logprobs }] };
}

function fakeServer() {
  const log = { completions: 0, streams: 0, streamed: 0, live: 0 };
  const signals: AbortSignal[] = [];
  const stream: StreamCompletion = async (body, onChunk, signal) => {
    log.streams++;
    signals.push(signal);
    log.live++;
    try {
      const ids = textToIds(String(body.prompt));
      for (let i = 0; i < Number(body.n_predict); i++) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (signal.aborted) throw new Error('aborted');
        const token = next(ids);
        ids.push(token);
        log.streamed++;
        onChunk(chunk(token, Number(body.n_probs)));
      }
      onChunk({ choices: [{ text: '', index: 0, logprobs: null, finish_reason: 'length' }] });
    } finally {
      log.live--;
    }
  };
  const backend: CompletionBackend = {
    async complete(body) {
      log.completions++;
      return chunk(next(textToIds(String(body.prompt))), Number(body.n_probs));
    },
    stream,
    exit: async () => {},
  };
  return { backend, log, signals };
}

/** Greedy continuation of `count` tokens by device draws, as the engine drives it. */
async function generate(runtime: WllamaRuntime, sequence: KvSequence, prompt: number[], count: number) {
  const out: number[] = [];
  let input = prompt;
  for (let i = 0; i < count; i++) {
    const [{ sampled }] = await runtime.step([{ sequence, tokens: input, logits: 'none', sample: GREEDY }]);
    out.push(sampled?.token ?? -1);
    input = [out[out.length - 1]];
  }
  return out;
}

/** The reference: the stand-in model's greedy continuation. */
function expected(prompt: number[], count: number): number[] {
  const ids = [...prompt];
  for (let i = 0; i < count; i++) ids.push(next(ids));
  return ids.slice(prompt.length);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('WllamaRuntime with streamed greedy draws (the default)', () => {
  it('gives the tokens of one completion per step, in one stream per window', async () => {
    const server = fakeServer();
    const streamed = new WllamaRuntime(server.backend, MODEL, { parallel: 2, threads: 1 });
    const stepped = new WllamaRuntime(server.backend, MODEL, { parallel: 2, threads: 1, lookahead: 0 });
    const prompt = [3, 1, 4, 1, 5];
    // The draw after the prompt is a completion of its own; the decode loop that feeds it back streams.
    const a = await generate(streamed, streamed.createSequence(), prompt, 40);
    expect(server.log.completions).toBe(1);
    expect(streamed.lookahead?.started).toBe(1);
    const b = await generate(stepped, stepped.createSequence(), prompt, 40);
    expect(server.log.completions).toBe(41);
    expect(a).toEqual(expected(prompt, 40));
    expect(b).toEqual(a);
    await streamed.dispose();
  });

  it('stops early (max_tokens, a stop string): tokens beyond are dropped, the sequence holds only fed ones', async () => {
    const server = fakeServer();
    const runtime = new WllamaRuntime(server.backend, MODEL, { parallel: 2, threads: 1 });
    const prompt = [2, 7, 1, 8];
    const first = runtime.createSequence();
    const out = await generate(runtime, first, prompt, 5);
    // The engine feeds only 4 of the 5 draws (the 5th ended the request) and leaves the sequence
    // in its prefix cache: nothing steps it any more.
    expect(first.length).toBe(prompt.length + 4);
    // Another request steps: the left-behind stream stops.
    expect(server.signals.map((signal) => signal.aborted)).toEqual([false]);
    const other = runtime.createSequence();
    await generate(runtime, other, [9, 9], 1);
    expect(server.signals.map((signal) => signal.aborted)).toEqual([true]);
    // A later request forks the cached prefix (prompt + 4 generated) and goes on from there.
    const fork = runtime.fork(first);
    const more = await generate(runtime, fork, [out[4]], 10);
    expect([...out, ...more]).toEqual(expected(prompt, 15));
    // ... or from a shorter prefix.
    runtime.truncate(first, prompt.length + 2);
    const again = await generate(runtime, first, [out[2]], 6);
    expect([...out.slice(0, 3), ...again]).toEqual(expected(prompt, 9));
    await runtime.dispose();
    await settle();
    expect(server.log.live).toBe(0);
  });

  it('a finished request with nothing after it computes at most `lookaheadLead` tokens ahead', async () => {
    const server = fakeServer();
    const runtime = new WllamaRuntime(server.backend, MODEL, {
      parallel: 1,
      threads: 1,
      lookahead: 64,
      lookaheadLead: 4,
    });
    await generate(runtime, runtime.createSequence(), [5, 5, 5], 3);
    await settle();
    expect(server.log.live).toBe(0);
    expect(server.log.streamed).toBeLessThanOrEqual(2 + 4);
    await runtime.dispose();
  });

  it('a sequence that takes other tokens than it drew gets one completion per draw, no streams', async () => {
    const server = fakeServer();
    const runtime = new WllamaRuntime(server.backend, MODEL, { parallel: 1, threads: 1 });
    const sequence = runtime.createSequence();
    const fed = [1];
    for (let i = 0; i < 6; i++) {
      const [{ sampled }] = await runtime.step([
        { sequence, tokens: fed.slice(-1), logits: 'none', sample: GREEDY },
      ]);
      expect(sampled?.token).toBe(next(fed));
      fed.push(((sampled?.token ?? 0) + 1) % VOCAB);
    }
    expect([server.log.completions, server.log.streams]).toEqual([6, 0]);
    await runtime.dispose();
  });

  it('an aborted request releases its sequence: its stream stops, the slot is free for the next', async () => {
    const server = fakeServer();
    const runtime = new WllamaRuntime(server.backend, MODEL, { parallel: 1, threads: 1 });
    const sequence = runtime.createSequence();
    await generate(runtime, sequence, [1, 2, 3], 3);
    runtime.release(sequence);
    const next = runtime.createSequence();
    expect(await generate(runtime, next, [4, 5], 3)).toEqual(expected([4, 5], 3));
    await settle();
    expect(server.log.live).toBe(0);
    await runtime.dispose();
  });

  it('sampled draws keep one completion per step (the engine uniform decides) unless asked', async () => {
    const server = fakeServer();
    const warm = { ...GREEDY, temperature: 0.8, topK: 5, uniform: 0.3 };
    const runtime = new WllamaRuntime(server.backend, MODEL, { parallel: 1, threads: 1 });
    const sequence = runtime.createSequence();
    await runtime.step([{ sequence, tokens: [1, 2], logits: 'none', sample: warm }]);
    expect([server.log.completions, server.log.streams]).toEqual([1, 0]);
    const opted = new WllamaRuntime(server.backend, MODEL, {
      parallel: 1,
      threads: 1,
      sampledLookahead: true,
    });
    const own = opted.createSequence();
    const [first] = await opted.step([{ sequence: own, tokens: [1, 2], logits: 'none', sample: warm }]);
    await opted.step([{ sequence: own, tokens: [first.sampled?.token ?? 0], logits: 'none', sample: warm }]);
    expect(server.log.streams).toBe(1);
    await runtime.dispose();
    await opted.dispose();
  });
});
