/**
 * The WebGPU parity page: runtime-webgpu, the CPU reference runtime and the fixture models (fetched
 * from the Hub-layout test server, same origin) bundled into one page. `window.parity` runs the
 * checks of runtime-webgpu's Node parity tests inside Chromium's WebGPU and returns plain data for
 * e2e/browser/webgpu-parity.test.ts.
 */
import { createEngine, GREEDY_DEVICE_SAMPLING, type Runtime, type RuntimeFactory } from '@cinder/engine';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { type ModelSource, urlModelSource } from '../../packages/model-format/src/index.ts';
import { type WebGpuRuntime, webgpuRuntime } from '../../packages/runtime-webgpu/src/index.ts';
import { dequantizedSource } from '../../packages/runtime-webgpu/src/testing/dequantized-source.ts';
import type { WeightDtype } from '../../packages/runtime-webgpu/src/weights/format.ts';
import { maxAbsDiff, type Trace, traceLogits } from './trace.ts';

export interface AdapterReport {
  readonly architecture: string;
  readonly vendor: string;
  readonly fallback: boolean;
  readonly features: string[];
  /** WGSL has `subgroup_id`: with the `subgroups` feature, the runtime's sampler uses subgroups. */
  readonly wgslSubgroupId: boolean;
}

export interface GreedyReport {
  /** Token ids of 64 greedy tokens: on the CPU, and on WebGPU without logprobs. */
  readonly cpu: number[];
  readonly gpu: number[];
  /** Bytes the WebGPU runtime read back over that request. */
  readonly readbackBytes: number;
  /** Bytes read back over the 8-token request with logprobs and 3 top logprobs. */
  readonly scoredReadbackBytes: number;
  /** Largest |logprob difference| over the first 8 tokens, when both ask for logprobs. */
  readonly logprobDiff: number;
  readonly logprobTokens: { readonly cpu: number[]; readonly gpu: number[] };
}

export interface BatchReport {
  /** Greedy tokens of two sequences decoded separately and together in one step. */
  readonly separate: number[][];
  readonly batched: number[][];
  /** Largest |logit difference| between the two runs' rows. */
  readonly logitDiff: number;
}

export interface ParityApi {
  adapter(): Promise<AdapterReport>;
  /** Max |logit diff| of WebGPU at `dtype` against the CPU runtime (on the dequantized weights unless f32). */
  logitsDiff(model: string, dtype: WeightDtype): Promise<number>;
  greedy(model: string, tokens: number): Promise<GreedyReport>;
  batched(model: string, steps: number): Promise<BatchReport>;
}

const webgpu = webgpuRuntime({ gpu: navigator.gpu });
const source = (model: string): ModelSource =>
  urlModelSource(model, `${location.origin}/cinder-fixtures/${model}/resolve/main/`);
const PROMPT = Array.from({ length: 24 }, (_, i) => (i * 41 + 5) % 300);

async function logitsDiff(model: string, dtype: WeightDtype): Promise<number> {
  const weights = source(model);
  const reference = dtype === 'f32' ? weights : await dequantizedSource(weights, dtype);
  const cpu = await cpuRuntime.load(reference);
  const expected = await traceLogits(cpu, PROMPT);
  await cpu.dispose();
  const gpu = await webgpu.load(weights, { dtype });
  const actual = await traceLogits(gpu, PROMPT);
  await gpu.dispose();
  return maxAbsDiff(actual, expected);
}

interface Completion {
  choices: { token_ids?: number[]; logprobs?: { content: { logprob: number }[] } | null }[];
}

/** One chat completion through the engine, on a fresh engine for `factory`. */
async function complete(model: string, factory: RuntimeFactory, params: Record<string, unknown>) {
  const engine = createEngine({
    models: [{ source: source(model), runtime: factory, loadOptions: { dtype: 'f32' } }],
  });
  try {
    return (await engine.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Tell me a story about a cat.' }],
      temperature: 0,
      // tiny-qwen2's generation_config sets a repetition penalty, which would keep sampling on the CPU.
      repetition_penalty: 1,
      ignore_eos: true,
      return_token_ids: true,
      ...params,
    })) as Completion;
  } finally {
    await engine.dispose();
  }
}

/** The WebGPU factory, keeping the runtime the engine loads (for its counters). */
function capturing(): RuntimeFactory & { runtime: WebGpuRuntime | null } {
  const factory = {
    backend: webgpu.backend,
    runtime: null as WebGpuRuntime | null,
    async load(...args: Parameters<RuntimeFactory['load']>): Promise<Runtime> {
      const runtime = await webgpu.load(...args);
      factory.runtime = runtime as WebGpuRuntime;
      return runtime;
    },
  };
  return factory;
}

async function greedy(model: string, tokens: number): Promise<GreedyReport> {
  const ids = (completion: Completion) => completion.choices[0].token_ids ?? [];
  const logprobs = (completion: Completion) =>
    completion.choices[0].logprobs?.content.map((entry) => entry.logprob) ?? [];
  const cpu = await complete(model, cpuRuntime, { max_tokens: tokens });
  const plain = capturing();
  const gpu = await complete(model, plain, { max_tokens: tokens });
  const scored = { max_tokens: 8, logprobs: true, top_logprobs: 3 };
  const withLogprobs = capturing();
  const [cpuScored, gpuScored] = [
    await complete(model, cpuRuntime, scored),
    await complete(model, withLogprobs, scored),
  ];
  const expected = logprobs(cpuScored);
  const actual = logprobs(gpuScored);
  return {
    cpu: ids(cpu),
    gpu: ids(gpu),
    readbackBytes: plain.runtime?.counters.readbackBytes ?? -1,
    scoredReadbackBytes: withLogprobs.runtime?.counters.readbackBytes ?? -1,
    logprobDiff: Math.max(
      ...actual.map((value, i) => Math.abs(value - expected[i])),
      actual.length ? 0 : Infinity,
    ),
    logprobTokens: { cpu: ids(cpuScored), gpu: ids(gpuScored) },
  };
}

const GREEDY = GREEDY_DEVICE_SAMPLING;

/**
 * Two sequences with different prompts, decoded greedily on the device for `steps` tokens: first
 * each on its own, then both in every step. Logits rows are returned too, to compare them.
 */
async function batched(model: string, steps: number): Promise<BatchReport> {
  const prompts = [PROMPT, PROMPT.slice(0, 11).map((token) => (token * 3 + 1) % 300)];
  const runtime = await webgpu.load(source(model), { dtype: 'f32' });
  const decode = async (group: number[]) => {
    const sequences = group.map(() => runtime.createSequence());
    const tokens: number[][] = group.map(() => []);
    const rows: Float32Array[] = [];
    let next = group.map((p) => prompts[p]);
    for (let step = 0; step <= steps; step++) {
      const outputs = await runtime.step(
        sequences.map((sequence, k) => ({ sequence, tokens: next[k], logits: 'last', sample: GREEDY })),
      );
      outputs.forEach((output, k) => {
        tokens[k].push(output.sampled!.token);
        rows.push(output.logits);
      });
      next = outputs.map((output) => [output.sampled!.token]);
    }
    for (const sequence of sequences) runtime.release(sequence);
    return { tokens, rows };
  };
  const [a, b] = [await decode([0]), await decode([1])];
  const both = await decode([0, 1]);
  await runtime.dispose();
  // Rows of the separate runs in the batched run's order: step by step, a then b.
  const separateRows: Trace = a.rows.flatMap((row, step) => [row, b.rows[step]]);
  return {
    separate: [a.tokens[0], b.tokens[0]],
    batched: both.tokens,
    logitDiff: maxAbsDiff(both.rows, separateRows),
  };
}

async function adapter(): Promise<AdapterReport> {
  const found = await navigator.gpu.requestAdapter();
  if (!found) throw new Error('no WebGPU adapter');
  const info = found.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return {
    architecture: info.architecture,
    vendor: info.vendor,
    fallback: info.isFallbackAdapter === true,
    features: [...found.features].map(String),
    wgslSubgroupId: navigator.gpu.wgslLanguageFeatures.has('subgroup_id'),
  };
}

const api: ParityApi = { adapter, logitsDiff, greedy, batched };
(window as unknown as { parity: ParityApi }).parity = api;
