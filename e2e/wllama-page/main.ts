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
  loadWllama,
  type WllamaBenchResult,
  type WllamaRuntime,
  type WllamaRuntimeOptions,
} from '@cinder/runtime-wllama';

export type PageLoadOptions = Omit<WllamaRuntimeOptions, 'wasmUrl' | 'ggufFile'> & { contextLength?: number };

const runtimes = new Map<string, WllamaRuntime>();

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
