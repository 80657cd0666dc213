/**
 * WebGPU runtime rows for `pnpm bench`, on a tiny fixture and on a random-weight model with
 * SmolLM2-135M's shapes written to a temporary directory at bench time (BF16, ~270 MB):
 *
 *   load        MB/s streaming safetensors into GPU buffers (a warm load: the device exists and the
 *               kernels are compiled; the cold first load's time is shown beside it), and the JS
 *               heap peak above a baseline taken right after a full GC
 *   per token   compute dispatches, submits and bytes read back per decode token (device greedy)
 *   weights     weight bytes a decode token reads, against the model's weight bytes
 *   decode      tokens/s of WebGPU and of the CPU runtime in the same run
 *
 * Decode runs one sequence, drawing each token on the device (as the engine does for a plain
 * request). On SwiftShader (no GPU) everything is slow: token counts stay small.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DeviceSampling, Runtime, RuntimeFactory } from '@cinder/engine';
import { createEngine, GREEDY_DEVICE_SAMPLING } from '@cinder/engine';
import { ensureFixtures } from '@cinder/fixtures';
import { directoryModelSource, nodeWebgpuRuntime } from '@cinder/host-node';
import { encodeBf16, type ModelSource, parseLlamaConfig } from '@cinder/model-format';
import { cpuRuntime, mulberry32, randomModelConfig, weightTensors } from '@cinder/runtime-cpu';
import type { Row } from './table.ts';

export interface WebgpuBenchOptions {
  /** Decode tokens on the tiny fixture (default 16) and on the 135M-shaped model (default 3). */
  readonly fixtureTokens?: number;
  readonly largeTokens?: number;
  /** WebGPU weight dtype (default f32). */
  readonly dtype?: string;
  /** Skip the 135M-shaped model (it takes minutes on SwiftShader). */
  readonly skipLarge?: boolean;
}

/** What the WebGPU runtime exposes beyond the Runtime interface. */
interface Counted {
  readonly counters?: { dispatches: number; submits: number; readbackBytes: number };
  readonly weightBytesPerToken?: number;
}

const GREEDY = GREEDY_DEVICE_SAMPLING;
const MB = 1e6;

export async function benchWebgpu(options: WebgpuBenchOptions = {}): Promise<Row[]> {
  const dtype = options.dtype ?? 'f32';
  const webgpu = nodeWebgpuRuntime();
  const rows: Row[] = [];
  const fixture = (await ensureFixtures()).find((info) => info.name === 'tiny-smollm2')!;
  rows.push(
    ...(await benchModel(
      'tiny-smollm2',
      directoryModelSource(fixture.dir),
      fixture.bytes,
      webgpu,
      dtype,
      options.fixtureTokens ?? 16,
    )),
  );
  rows.push(await benchGrammarReadback(webgpu));
  if (!options.skipLarge) {
    const dir = await mkdtemp(join(tmpdir(), 'cinder-smollm2-135m-'));
    try {
      const bytes = await writeRandomModel(dir, SMOLLM2_135M);
      const source = directoryModelSource(dir, 'random SmolLM2-135M');
      rows.push(
        ...(await benchModel('random SmolLM2-135M', source, bytes, webgpu, dtype, options.largeTokens ?? 3)),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

async function benchModel(
  label: string,
  source: ModelSource,
  fileBytes: number,
  webgpu: RuntimeFactory,
  dtype: string,
  tokens: number,
): Promise<Row[]> {
  const loadRuntime = () => webgpu.load(source, { dtype, contextLength: 512 });
  const cold = await measureLoad(loadRuntime);
  await cold.runtime.dispose();
  const load = await measureLoad(loadRuntime);
  const runtime = load.runtime;
  const counted = runtime as Runtime & Counted;
  const model = `${label} (${(runtime.model.weightBytes / MB).toFixed(1)} MB ${runtime.model.dtype})`;
  const prompt = Array.from(
    { length: 8 },
    (_, i) => (i * 7919 + 11) % Math.min(runtime.model.vocabSize, 1000),
  );

  const sequence = runtime.createSequence();
  let [out] = await runtime.step([{ sequence, tokens: prompt, logits: 'none', sample: GREEDY }]);
  const before = { ...counted.counters! };
  const start = performance.now();
  for (let i = 0; i < tokens; i++) {
    [out] = await runtime.step([{ sequence, tokens: [out.sampled!.token], logits: 'none', sample: GREEDY }]);
  }
  const gpuSeconds = (performance.now() - start) / 1000;
  const after = { ...counted.counters! };
  const per = (key: 'dispatches' | 'submits' | 'readbackBytes') => (after[key] - before[key]) / tokens;
  const bytesOf = async (sample: DeviceSampling) => {
    const start = counted.counters!.readbackBytes;
    await runtime.step([{ sequence, tokens: [1], logits: 'none', sample }]);
    return counted.counters!.readbackBytes - start;
  };
  const logprobBytes = await bytesOf({ ...GREEDY, logprob: true });
  const topBytes = await bytesOf({ ...GREEDY, logprob: true, topLogprobs: 5 });
  const layers = (await readLayers(source)) ?? 0;
  await runtime.dispose();

  const cpuSeconds = await cpuDecodeSeconds(source, prompt, tokens, runtime.model.vocabSize);
  const dispatches = per('dispatches');
  return [
    {
      benchmark: 'webgpu load',
      model,
      setting: `${(fileBytes / MB).toFixed(1)} MB of safetensors`,
      result: `${(fileBytes / MB / load.seconds).toFixed(1)} MB/s (cold first load ${cold.seconds.toFixed(2)} s), JS heap peak +${(load.heapPeak / MB).toFixed(1)} MB (+${(load.memoryPeak / MB).toFixed(1)} MB with array buffers)`,
    },
    {
      benchmark: 'webgpu per decode token',
      model,
      setting: `1 sequence, device greedy, ${tokens} tokens`,
      result: `${dispatches.toFixed(1)} dispatches (${layers} layers: ${((dispatches - FIXED_DISPATCHES) / Math.max(layers, 1)).toFixed(1)}/layer + ${FIXED_DISPATCHES}), ${per('submits').toFixed(1)} submit, ${per('readbackBytes').toFixed(0)} B read back (${logprobBytes} B with logprobs, ${topBytes} B with 5 top logprobs)`,
    },
    {
      benchmark: 'webgpu weight bytes per token',
      model,
      setting: 'read by one decode token',
      result: `${((counted.weightBytesPerToken ?? 0) / MB).toFixed(2)} MB of ${(runtime.model.weightBytes / MB).toFixed(2)} MB`,
    },
    {
      benchmark: 'webgpu vs cpu decode',
      model,
      setting: `1 sequence, ${tokens} tokens, same run`,
      result: `webgpu ${(tokens / gpuSeconds).toFixed(2)} tok/s, cpu ${(tokens / cpuSeconds).toFixed(2)} tok/s`,
    },
  ];
}

/** Dispatches outside the layers: embedding, final norm, LM head (one weight chunk), sampling. */
const FIXED_DISPATCHES = 4;

/** V8's `gc()`, exposed at run time (the bench runs without --expose-gc). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * Bytes read back per token of a JSON-mode reply on a 151,936-token vocabulary (tiny-qwen3): the
 * grammar's mask goes to the sampler kernel, so a token comes back instead of a logits row.
 */
async function benchGrammarReadback(factory: RuntimeFactory): Promise<Row> {
  const fixture = (await ensureFixtures()).find((info) => info.name === 'tiny-qwen3')!;
  let runtime: Runtime | null = null;
  const engine = createEngine({
    models: [
      {
        source: directoryModelSource(fixture.dir, 'tiny-qwen3'),
        runtime: {
          ...factory,
          async load(source, loadOptions) {
            runtime = await factory.load(source, { ...loadOptions, dtype: 'f32' });
            return runtime;
          },
        },
      },
    ],
  });
  try {
    await engine.loadModel('tiny-qwen3');
    const counted = runtime as unknown as Counted;
    const perToken = async (extra: Record<string, unknown>) => {
      const before = counted.counters!.readbackBytes;
      const reply = (await engine.chat.completions.create({
        model: 'tiny-qwen3',
        messages: [{ role: 'user', content: 'A name, as JSON.' }],
        max_tokens: 8,
        temperature: 0,
        ...extra,
      })) as { usage: { completion_tokens: number } };
      return (counted.counters!.readbackBytes - before) / reply.usage.completion_tokens;
    };
    const json = await perToken({ response_format: { type: 'json_object' } });
    const penalties = await perToken({
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      logit_bias: { '100': 2 },
    });
    const vocab = 151_936;
    return {
      benchmark: 'webgpu: grammar, penalties',
      model: 'tiny-qwen3 (151,936-token vocabulary)',
      setting: 'greedy, up to 8 tokens: bytes read back per token',
      result:
        `JSON mode ${json.toFixed(0)} B (its mask uploaded instead: ${Math.ceil(vocab / 32) * 4} B), ` +
        `presence + frequency penalties + logit_bias ${penalties.toFixed(0)} B; a logits row would be ${vocab * 4} B`,
    };
  } finally {
    await engine.dispose();
  }
}

async function measureLoad(load: () => Promise<Runtime>) {
  collectGarbage();
  const baseline = process.memoryUsage();
  let heapPeak = 0;
  let memoryPeak = 0;
  const sample = () => {
    const now = process.memoryUsage();
    heapPeak = Math.max(heapPeak, now.heapUsed - baseline.heapUsed);
    memoryPeak = Math.max(
      memoryPeak,
      now.heapUsed + now.arrayBuffers - baseline.heapUsed - baseline.arrayBuffers,
    );
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  try {
    const runtime = await load();
    sample();
    return { runtime, seconds: (performance.now() - start) / 1000, heapPeak, memoryPeak };
  } finally {
    clearInterval(timer);
  }
}

async function cpuDecodeSeconds(
  source: ModelSource,
  prompt: number[],
  tokens: number,
  vocab: number,
): Promise<number> {
  const runtime = await cpuRuntime.load(source);
  const sequence = runtime.createSequence();
  await runtime.step([{ sequence, tokens: prompt, logits: 'last' }]);
  const start = performance.now();
  for (let i = 0; i < tokens; i++)
    await runtime.step([{ sequence, tokens: [(i * 31) % vocab], logits: 'last' }]);
  const seconds = (performance.now() - start) / 1000;
  await runtime.dispose();
  return seconds;
}

async function readLayers(source: ModelSource): Promise<number | null> {
  const response = await source.file('config.json');
  const config = response ? ((await response.json()) as { num_hidden_layers?: number }) : null;
  return config?.num_hidden_layers ?? null;
}

/** SmolLM2-135M's shapes (HuggingFaceTB/SmolLM2-135M config.json). */
const SMOLLM2_135M = randomModelConfig({
  hiddenSize: 576,
  intermediateSize: 1536,
  numLayers: 30,
  numHeads: 9,
  numKvHeads: 3,
  headDim: 64,
  vocabSize: 49152,
  maxPositionEmbeddings: 8192,
  tieWordEmbeddings: true,
  extraConfig: { rope_theta: 100000, rms_norm_eps: 1e-5 },
});

/**
 * Writes config.json and a BF16 model.safetensors of seeded random weights, one tensor at a time
 * (so generating a 270 MB file needs only a few MB of memory). Returns the safetensors bytes.
 */
async function writeRandomModel(dir: string, configJson: Record<string, unknown>): Promise<number> {
  const config = parseLlamaConfig(configJson);
  const tensors = weightTensors(config);
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const { name, shape } of tensors) {
    const bytes = shape.reduce((n, size) => n * size, 1) * 2;
    header[name] = { dtype: 'BF16', shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setUint32(0, json.length, true);

  const random = mulberry32(135);
  const file = await open(join(dir, 'model.safetensors'), 'w');
  try {
    await file.write(prefix);
    await file.write(new TextEncoder().encode(json));
    for (const { name, shape } of tensors) {
      const cols = shape[shape.length - 1];
      const rows = shape.length === 2 ? shape[0] : 1;
      const isNorm = name.endsWith('norm.weight');
      const scale = 1 / Math.sqrt(cols);
      const perChunk = Math.max(1, Math.floor((1 << 20) / cols));
      for (let row = 0; row < rows; row += perChunk) {
        const count = Math.min(perChunk, rows - row);
        const values = new Float32Array(count * cols).map(() =>
          isNorm ? 1 + 0.1 * (random() - 0.5) : scale * 2 * (random() - 0.5),
        );
        await file.write(encodeBf16(values));
      }
    }
  } finally {
    await file.close();
  }
  const configFile = await open(join(dir, 'config.json'), 'w');
  await configFile.write(JSON.stringify(configJson));
  await configFile.close();
  return 8 + json.length + offset;
}
