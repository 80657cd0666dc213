/**
 * wllama (llama.cpp in WebAssembly) against our runtimes, on the same weights in one run: the tiny
 * fixture and a random-weight model with SmolLM2-135M's shapes written at bench time.
 *
 *   prefill / decode   tokens/s of Runtime.step as the engine drives it (device greedy draws where the
 *                      runtime has them): wllama in Chromium without WebGPU (GGUF q8_0 written by
 *                      @cinder/gguf), our WebGPU runtime (Dawn on SwiftShader, Node) and our CPU
 *                      reference (Node; f32), both on the safetensors
 *   endpoint           decode tokens/s of our endpoint on wllama (the openai SDK in the page, through
 *                      our service worker: a reply of N tokens minus one of 1 token), against wllama's
 *                      own createCompletion decoding N tokens on the same GGUF (runtime-wllama's
 *                      benchWllama), in the same page; runs alternated, medians. Target: at least 95%.
 *   grammar            JSON mode and presence / frequency penalties against a plain reply on a
 *                      151,936-token vocabulary (tiny-qwen3): the grammar's mask and the penalties go
 *                      to llama-server as logit biases with each draw
 *   kept conversion    a safetensors model in the model store, first request after the page loads:
 *                      the first time (GGUF converted in the browser) and after a reload (the GGUF
 *                      kept in the store beside the model is read instead)
 *
 * Runs the wllama test site (e2e/browser/wllama-sw-site.ts); needs Debian's chromium.
 */
import { cp, mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KvSequence, RuntimeFactory } from '@cinder/engine';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import { directoryModelSource, nodeWebgpuRuntime } from '@cinder/host-node';
import { encodeBf16, type ModelSource, parseLlamaConfig } from '@cinder/model-format';
import { cpuRuntime, mulberry32, randomModelConfig, weightTensors } from '@cinder/runtime-cpu';
import { hasChromium } from '../../../e2e/support/browser.ts';
import '../../../e2e/browser/app-global.ts';
import { GREEDY_DEVICE_SAMPLING } from '@cinder/engine';
import { startWllamaSite } from '../../../e2e/browser/wllama-sw-site.ts';
import type { Row } from './table.ts';

export interface WllamaBenchOptions {
  /** Skip the SmolLM2-135M-shaped model (minutes on this machine). */
  readonly skipLarge?: boolean;
  /** Endpoint runs per path, after one warm-up each. Default 5. */
  readonly runs?: number;
}

interface Sizes {
  readonly prefill: number;
  readonly decode: number;
  /** Our runtimes in Node are much slower on the large model: fewer tokens there. */
  readonly nodePrefill: number;
  readonly nodeDecode: number;
  readonly webgpuDecode: number;
  readonly endpointTokens: number;
}

const TINY: Sizes = {
  prefill: 128,
  decode: 32,
  nodePrefill: 128,
  nodeDecode: 32,
  webgpuDecode: 16,
  endpointTokens: 128,
};
const LARGE: Sizes = {
  prefill: 64,
  decode: 16,
  nodePrefill: 16,
  nodeDecode: 4,
  webgpuDecode: 3,
  endpointTokens: 48,
};

const GREEDY = GREEDY_DEVICE_SAMPLING;

export async function benchWllamaRuntimes(options: WllamaBenchOptions = {}): Promise<Row[]> {
  const row = (benchmark: string, model: string, setting: string, result: string): Row => ({
    benchmark,
    model,
    setting,
    result,
  });
  if (!hasChromium())
    return [row('wllama', '-', 'skipped', 'no Chromium at CHROMIUM_PATH or /usr/bin/chromium')];
  await ensureFixtures(defaultFixturesDir());
  const models: Array<{ name: string; dir: string; sizes: Sizes }> = [
    { name: 'tiny-smollm2', dir: join(defaultFixturesDir(), 'tiny-smollm2'), sizes: TINY },
  ];
  const scratch = await mkdtemp(join(tmpdir(), 'cinder-wllama-bench-'));
  try {
    if (!options.skipLarge) {
      const dir = join(scratch, 'random-smollm2-135m');
      await writeRandomSmolLM2(dir, models[0].dir);
      models.push({ name: 'random-smollm2-135m', dir, sizes: LARGE });
    }
    const rows: Row[] = [];
    // Our runtimes first, in Node, before Chromium takes the cores.
    const ours = new Map<string, { cpu: Speed; webgpu: Speed }>();
    for (const { name, dir, sizes } of models) {
      const source = directoryModelSource(dir, name);
      const cpu = await stepSpeed(cpuRuntime, source, sizes.nodePrefill, sizes.nodeDecode);
      const webgpu = await stepSpeed(
        nodeWebgpuRuntime(),
        source,
        sizes.nodePrefill,
        sizes.webgpuDecode,
        'f32',
      );
      ours.set(name, { cpu, webgpu });
    }

    const site = await startWllamaSite({
      models: {
        ...Object.fromEntries(models.slice(1).map((m) => [m.name, m.dir])),
        'tiny-qwen3': join(defaultFixturesDir(), 'tiny-qwen3'),
      },
    });
    try {
      const page = await site.open();
      for (const { name, sizes } of models) {
        const wllama = await page.evaluate(
          (params) => app.benchDirect(params) as unknown as Promise<Speed & { error?: string }>,
          { bench: 'runtime', name, runtime: 'wllama', prefill: sizes.prefill, decode: sizes.decode },
        );
        if (wllama.error) throw new Error(wllama.error);
        const { cpu, webgpu } = ours.get(name)!;
        const label = (speed: Speed) =>
          `${speed.backend} ${speed.dtype} ${(speed.weightBytes / 1e6).toFixed(1)} MB`;
        rows.push(
          row(
            'wllama vs ours: prefill',
            name,
            `prompt of ${sizes.prefill} (wllama) / ${sizes.nodePrefill} tokens (ours)`,
            `wllama ${tps(wllama.prefill)}, webgpu ${tps(webgpu.prefill)}, cpu ${tps(cpu.prefill)} tok/s`,
          ),
          row(
            'wllama vs ours: decode',
            name,
            `${sizes.decode} / ${sizes.webgpuDecode} / ${sizes.nodeDecode} steps, 1 sequence`,
            `wllama ${tps(wllama.decode)}, webgpu ${tps(webgpu.decode)}, cpu ${tps(cpu.decode)} tok/s (wllama/cpu ${(wllama.decode / cpu.decode).toFixed(1)}x)`,
          ),
          row(
            'wllama vs ours: weights',
            name,
            'as each runtime holds them',
            [wllama, webgpu, cpu].map(label).join(', '),
          ),
        );
        rows.push(...(await benchEndpoint(page, name, sizes.endpointTokens, options.runs ?? 5)));
      }
      rows.push(await benchGrammar(page, 'tiny-qwen3'));
      for (const { name } of models) rows.push(await benchKeptConversion(page, name));
    } finally {
      await site.close();
    }
    return rows;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface Speed {
  readonly prefill: number;
  readonly decode: number;
  readonly backend: string;
  readonly dtype: string;
  readonly weightBytes: number;
}

interface Run {
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
  readonly tokens: number;
}

/** Our endpoint on wllama (through the service worker) against wllama's own createCompletion. */
async function benchEndpoint(
  page: Awaited<ReturnType<Awaited<ReturnType<typeof startWllamaSite>>['open']>>,
  name: string,
  tokens: number,
  runs: number,
): Promise<Row[]> {
  const model = `${name}-gguf`;
  const ours: Run[] = [];
  const own: WllamaOwn[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const body = {
      model,
      messages: [{ role: 'user', content: `Tell me story number ${i}.` }],
      ignore_eos: true,
      temperature: 0,
    };
    // Alternate which path goes first, so drift in the machine's speed hits both alike.
    const order = i % 2 === 0 ? (['ours', 'own'] as const) : (['own', 'ours'] as const);
    for (const path of order) {
      if (path === 'ours') {
        const run = await page.evaluate(
          async ({ b, n }) => {
            // Decode time = a request for n tokens minus one for 1 token (same prompt, cached the
            // second time as llama-server's is): it does not depend on how chunks are framed.
            // (No named functions in here: tsx would wrap them in a helper the page does not have.)
            const ms: number[] = [];
            for (const maxTokens of [1, n]) {
              const started = performance.now();
              await app.complete({ ...b, max_tokens: maxTokens });
              ms.push(performance.now() - started);
            }
            const [first, all] = ms;
            return { ttftMs: first, tokensPerSecond: ((n - 1) * 1000) / (all - first), tokens: n };
          },
          { b: body, n: tokens },
        );
        if (i > 0) ours.push(run);
      } else {
        const run = await page.evaluate(
          (p) => app.benchDirect(p) as unknown as Promise<WllamaOwn & { error?: string }>,
          { bench: 'wllama-own', name, tokens, salt: i },
        );
        if (run.error) throw new Error(run.error);
        if (i > 0) own.push(run);
      }
    }
  }
  const rateOurs = median(ours.map((run) => run.tokensPerSecond));
  const rateOwn = median(own.map((run) => run.wllamaDecodeTokensPerSecond));
  const rateStep = median(own.map((run) => run.decodeTokensPerSecond));
  const server = median(own.map((run) => run.serverDecodeMsPerToken ?? Number.NaN));
  return [
    {
      benchmark: 'endpoint on wllama vs wllama',
      model: `${name} (GGUF q8_0, ${own[0]?.threads ?? '?'} thread)`,
      setting: `${runs} runs each, ${tokens} tokens: median decode tokens/s`,
      result: `ours (openai SDK through the SW) ${tps(rateOurs)}, wllama createCompletion ${tps(rateOwn)} (llama.cpp's own timing ${tps(1000 / server)}), ratio ${(rateOurs / rateOwn).toFixed(3)}`,
    },
    {
      benchmark: 'endpoint on wllama vs wllama',
      model: name,
      setting: 'same runs: Runtime.step decode; our median time for a 1-token reply',
      result: `step ${tps(rateStep)} tok/s; ${median(ours.map((run) => run.ttftMs)).toFixed(1)} ms`,
    },
  ];
}

/** ms per token of a JSON-mode reply against a plain one, greedy, through the endpoint (medians of 3). */
async function benchGrammar(
  page: Awaited<ReturnType<Awaited<ReturnType<typeof startWllamaSite>>['open']>>,
  model: string,
): Promise<Row> {
  const perToken = async (extra: Record<string, unknown>) => {
    const times: number[] = [];
    let counted = 0;
    for (let i = 0; i < 4; i++) {
      const body = {
        model,
        messages: [{ role: 'user', content: `Describe item ${i} as JSON.` }],
        max_tokens: 16,
        temperature: 0,
        ...extra,
      };
      const { ms, tokens } = await page.evaluate(async (b) => {
        const started = performance.now();
        const reply = await app.complete(b);
        return { ms: performance.now() - started, tokens: reply.usage?.completion_tokens ?? 0 };
      }, body);
      if (i > 0) times.push(ms / Math.max(1, tokens)); // the first one loads the model
      if (i > 0) counted += tokens;
    }
    return { ms: median(times), tokens: counted };
  };
  const plain = await perToken({ ignore_eos: true });
  const json = await perToken({ response_format: { type: 'json_object' } });
  const penalized = await perToken({ ignore_eos: true, frequency_penalty: 0.5, presence_penalty: 0.3 });
  return {
    benchmark: 'wllama: grammar, penalties',
    model: `${model} (151,936-token vocabulary)`,
    setting: 'greedy reply of up to 16 tokens through the endpoint, ms/token (median of 3)',
    result:
      `JSON mode ${json.ms.toFixed(1)} (${json.tokens} tokens in 3 replies), presence + frequency penalties ` +
      `${penalized.ms.toFixed(1)} (${penalized.tokens}), plain ${plain.ms.toFixed(1)} (${plain.tokens}); ` +
      'the mask and the penalties go as logit biases with each draw',
  };
}

/**
 * The first 1-token reply from a safetensors model in the model store, on a fresh engine worker: the
 * first time (its GGUF converted in the browser) and after a page reload (the kept GGUF read instead).
 */
async function benchKeptConversion(
  page: Awaited<ReturnType<Awaited<ReturnType<typeof startWllamaSite>>['open']>>,
  name: string,
): Promise<Row> {
  const id = `cinder-fixtures/${name}`;
  await page.evaluate((ref) => app.download(ref), id);
  const body = { model: id, messages: [{ role: 'user', content: 'Hi.' }], max_tokens: 1 };
  const timed = () =>
    page.evaluate(async (b) => {
      const started = performance.now();
      await app.complete(b);
      return performance.now() - started;
    }, body);
  const reload = async () => {
    await page.reload();
    await page.waitForFunction(() => 'app' in globalThis);
    await page.evaluate(() => app.ready);
  };
  await reload(); // both timings start from a fresh engine worker (wllama's wasm not started yet)
  const converting = await timed();
  let kept = 0;
  for (let i = 0; i < 600 && !kept; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100)); // the GGUF is written in the background
    kept = (await page.evaluate((m) => app.storedModel(m), id))?.derivedBytes ?? 0;
  }
  if (!kept) throw new Error(`the GGUF of ${id} was not kept in the model store`);
  await reload();
  const reading = await timed();
  return {
    benchmark: 'wllama: GGUF conversion kept',
    model: name,
    setting: 'first 1-token reply on a fresh engine worker, model in the store',
    result: `converting ${(converting / 1000).toFixed(2)} s, after a reload (kept GGUF, ${(kept / 1e6).toFixed(1)} MB) ${(reading / 1000).toFixed(2)} s (${(converting / reading).toFixed(1)}x)`,
  };
}

/** What runtime-wllama's benchWllama measures, plus the thread count. */
interface WllamaOwn {
  readonly decodeTokensPerSecond: number;
  readonly wllamaDecodeTokensPerSecond: number;
  readonly serverDecodeMsPerToken: number | null;
  readonly threads: number;
}

/** Prefill and decode tokens/s of Runtime.step, with device draws where the runtime has them. */
async function stepSpeed(
  factory: RuntimeFactory,
  source: ModelSource,
  prefillTokens: number,
  decodeTokens: number,
  dtype?: string,
): Promise<Speed> {
  const runtime = await factory.load(source, { contextLength: 1024, dtype });
  try {
    const vocab = Math.min(runtime.model.vocabSize, 1000);
    const prompt = Array.from({ length: prefillTokens }, (_, i) => (i * 7919 + 11) % vocab);
    const step = (sequence: KvSequence, tokens: number[]) =>
      runtime.step([
        runtime.deviceSampling
          ? { sequence, tokens, logits: 'none', sample: GREEDY }
          : { sequence, tokens, logits: 'last' },
      ]);
    const warm = runtime.createSequence();
    await step(warm, prompt.slice(0, 4));
    runtime.release(warm);
    const sequence = runtime.createSequence();
    let start = performance.now();
    let [out] = await step(sequence, prompt);
    const prefill = prefillTokens / ((performance.now() - start) / 1000);
    start = performance.now();
    // As the engine decodes: each step feeds the token drawn by the one before (logits-only
    // runtimes: any token).
    for (let i = 0; i < decodeTokens; i++)
      [out] = await step(sequence, [out.sampled?.token ?? prompt[i % prompt.length]]);
    const decode = decodeTokens / ((performance.now() - start) / 1000);
    const { dtype: held, weightBytes } = runtime.model;
    return { prefill, decode, backend: runtime.backend, dtype: held, weightBytes };
  } finally {
    await runtime.dispose();
  }
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
 * config.json and a BF16 model.safetensors of seeded random weights with SmolLM2-135M's shapes,
 * written one chunk at a time, plus SmolLM2's tokenizer (from the tiny fixture, same vocabulary):
 * the GGUF writer needs one.
 */
export async function writeRandomSmolLM2(dir: string, tokenizerDir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json']) {
    await cp(join(tokenizerDir, file), join(dir, file));
  }
  const config = parseLlamaConfig(SMOLLM2_135M);
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
      const scale = name.endsWith('norm.weight') ? 0 : 1 / Math.sqrt(cols);
      const perChunk = Math.max(1, Math.floor((1 << 20) / cols));
      for (let row = 0; row < rows; row += perChunk) {
        const count = Math.min(perChunk, rows - row);
        const values = new Float32Array(count * cols).map(() =>
          scale === 0 ? 1 + 0.1 * (random() - 0.5) : scale * 2 * (random() - 0.5),
        );
        await file.write(encodeBf16(values));
      }
    }
  } finally {
    await file.close();
  }
  const configFile = await open(join(dir, 'config.json'), 'w');
  await configFile.write(JSON.stringify(SMOLLM2_135M));
  await configFile.close();
}

function tps(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
