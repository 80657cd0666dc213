/**
 * The wllama runtime in a page, for e2e/browser/wllama-*.test.ts: models are loaded by
 * `wllamaRuntime` from the test server's Hub layout (`/cinder/<id>/resolve/main/model.gguf`) and
 * kept by key. Helpers run steps on the page side, or pass raw completions through for a
 * WllamaRuntime driven from Node (the conformance suite).
 */
import type { DeviceSampling, ModelInfo, StepInput } from '@cinder/engine';
import { mulberry32 } from '@cinder/runtime-cpu';
import {
  benchWllama,
  idsToText,
  loadWllama,
  type WllamaBenchResult,
  type WllamaRuntime,
  type WllamaRuntimeOptions,
} from '@cinder/runtime-wllama';

export type PageLoadOptions = Omit<WllamaRuntimeOptions, 'wasmUrl' | 'ggufFile'> & { contextLength?: number };

const runtimes = new Map<string, WllamaRuntime>();
const streams = new Map<number, AbortController>();

/** A model directory of the test server as a ModelSource (the type comes from the runtime's load). */
function serverSource(id: string): Parameters<typeof loadWllama>[0] {
  const base = `${location.origin}/cinder/${id}/resolve/main/`;
  return {
    id,
    async file(name, options = {}) {
      const headers: Record<string, string> = options.range
        ? { range: `bytes=${options.range[0]}-${options.range[1] - 1}` }
        : {};
      const response = await fetch(base + name, { headers, signal: options.signal });
      return response.status === 404 ? null : response;
    },
  };
}
const GREEDY: DeviceSampling = {
  temperature: 0,
  topK: 0,
  topP: 1,
  uniform: 0,
  logprob: true,
  topLogprobs: 0,
};

function runtimeOf(key: string): WllamaRuntime {
  const runtime = runtimes.get(key);
  if (!runtime) throw new Error(`no runtime ${key}`);
  return runtime;
}

function streamOf(key: string) {
  const stream = runtimeOf(key).completions.stream;
  if (!stream) throw new Error('no streamed completions');
  return stream;
}

const api = {
  /** Loads model `id` (a directory of the test server) under `key`. */
  async load(
    key: string,
    id: string,
    options: PageLoadOptions = {},
  ): Promise<ModelInfo & { ms: number; threads: number }> {
    const source = serverSource(id);
    const started = performance.now();
    const { contextLength, ...rest } = options;
    const runtime = await loadWllama(source, { wasmUrl: '/wllama.wasm', ...rest }, { contextLength });
    runtimes.set(key, runtime);
    return { ...runtime.model, ms: performance.now() - started, threads: runtime.threads };
  },

  /** One raw completion (llama-server's JSON answer). */
  complete(key: string, body: Record<string, unknown>): Promise<unknown> {
    return runtimeOf(key).completions.complete(body);
  },

  /** One raw streamed completion: llama-server's chunks, all at the end. */
  async streamComplete(key: string, body: Record<string, unknown>): Promise<unknown[]> {
    const chunks: unknown[] = [];
    await streamOf(key)(body, (chunk) => chunks.push(chunk), new AbortController().signal);
    return chunks;
  },

  /**
   * A streamed completion relayed chunk by chunk to Node (`wllamaChunk(id, chunk)`, exposed by the
   * harness); resolves to the number of chunks sent. `abortStream(id)` stops it.
   */
  async relayStream(id: number, key: string, body: Record<string, unknown>): Promise<number> {
    const controller = new AbortController();
    streams.set(id, controller);
    const relay = (globalThis as unknown as { wllamaChunk: (id: number, chunk: unknown) => void })
      .wllamaChunk;
    let sent = 0;
    try {
      await streamOf(key)(
        body,
        (chunk) => {
          sent++;
          relay(id, chunk);
        },
        controller.signal,
      );
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      streams.delete(id);
    }
    return sent;
  },

  abortStream(id: number): void {
    streams.get(id)?.abort();
  },

  /**
   * Every id of the vocabulary, `chunk` at a time: a raw completion of the ids (how many prompt
   * tokens llama-server counted, which token came back), then the runtime's own path (a step of
   * the ids with a greedy device draw, and one more step continuing it). Failures are collected.
   */
  async vocabularySweep(
    key: string,
    chunk: number,
  ): Promise<{ chunks: number; failures: string[]; miscounted: number[]; drawn: number[] }> {
    const runtime = runtimeOf(key);
    const vocab = runtime.model.vocabSize;
    const failures: string[] = [];
    const miscounted: number[] = [];
    const drawn: number[] = [];
    let chunks = 0;
    for (let start = 0; start < vocab; start += chunk) {
      chunks++;
      const ids = Array.from({ length: Math.min(chunk, vocab - start) }, (_, i) => start + i);
      try {
        const raw = (await runtime.completions.complete({
          prompt: idsToText(ids),
          n_predict: 1,
          cache_prompt: true,
          samplers: ['temperature'],
          temperature: 0,
        })) as { usage?: { prompt_tokens?: number } };
        if (raw.usage?.prompt_tokens !== ids.length) miscounted.push(start);
        const sequence = runtime.createSequence();
        const quiet = { ...GREEDY, logprob: false };
        const [first] = await runtime.step([{ sequence, tokens: ids, logits: 'none', sample: quiet }]);
        const token = first.sampled?.token ?? -1;
        const [second] = await runtime.step([{ sequence, tokens: [token], logits: 'none', sample: quiet }]);
        drawn.push(token, second.sampled?.token ?? -1);
        runtime.release(sequence);
      } catch (error) {
        failures.push(`ids ${start}..${start + ids.length - 1}: ${String(error)}`);
      }
    }
    return { chunks, failures, miscounted, drawn };
  },

  /** Logits of `logits: 'last'` after the prompt (log-softmax). */
  async lastLogits(key: string, prompt: number[]): Promise<number[]> {
    const runtime = runtimeOf(key);
    const sequence = runtime.createSequence();
    try {
      const [{ logits }] = await runtime.step([{ sequence, tokens: prompt, logits: 'last' }]);
      return Array.from(logits);
    } finally {
      runtime.release(sequence);
    }
  },

  /** Logits of `logits: 'all'` over the prompt, one row per position (log-softmax). */
  async allLogits(key: string, prompt: number[]): Promise<number[][]> {
    const runtime = runtimeOf(key);
    const sequence = runtime.createSequence();
    const [{ logits }] = await runtime.step([{ sequence, tokens: prompt, logits: 'all' }]);
    runtime.release(sequence);
    const vocab = runtime.model.vocabSize;
    return prompt.map((_, j) => Array.from(logits.subarray(j * vocab, (j + 1) * vocab)));
  },

  /** Greedy continuations of several prompts at once, `count` tokens each, by device draws. */
  greedy(
    key: string,
    prompts: number[][],
    count: number,
  ): Promise<{ tokens: number[][]; logprobs: number[][] }> {
    return api.generate(key, prompts, count, GREEDY, 0);
  },

  /**
   * Continuations of several prompts at once by device draws with `sampling`; the uniforms come
   * from a seeded generator (one stream per prompt), as the engine's would.
   */
  async generate(
    key: string,
    prompts: number[][],
    count: number,
    sampling: Omit<DeviceSampling, 'uniform'>,
    seed: number,
  ): Promise<{ tokens: number[][]; logprobs: number[][] }> {
    const runtime = runtimeOf(key);
    const sequences = prompts.map(() => runtime.createSequence());
    const uniforms = prompts.map((_, i) => mulberry32(seed * 1000 + i));
    const tokens = prompts.map(() => [] as number[]);
    const logprobs = prompts.map(() => [] as number[]);
    let inputs: StepInput[] = prompts.map((prompt, i) => ({
      sequence: sequences[i],
      tokens: prompt,
      logits: 'none',
      sample: { ...sampling, uniform: uniforms[i]() },
    }));
    for (let step = 0; step < count; step++) {
      const outputs = await runtime.step(inputs);
      outputs.forEach((output, i) => {
        tokens[i].push(output.sampled?.token ?? -1);
        logprobs[i].push(output.sampled?.logprob ?? Number.NaN);
      });
      inputs = prompts.map((_, i) => ({
        sequence: sequences[i],
        tokens: [tokens[i][step]],
        logits: 'none',
        sample: { ...sampling, uniform: uniforms[i]() },
      }));
    }
    for (const sequence of sequences) runtime.release(sequence);
    return { tokens, logprobs };
  },

  bench(key: string, promptTokens: number, decodeTokens: number, salt = 0): Promise<WllamaBenchResult> {
    return benchWllama(runtimeOf(key), { promptTokens, decodeTokens, salt });
  },

  isolated(): boolean {
    return globalThis.crossOriginIsolated;
  },

  async dispose(key: string): Promise<void> {
    await runtimes.get(key)?.dispose();
    runtimes.delete(key);
  },
};

export type WllamaTestApi = typeof api;
(globalThis as unknown as { wllamaTest: WllamaTestApi }).wllamaTest = api;
