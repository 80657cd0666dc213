/**
 * Parity with the CPU reference on every fixture architecture (Node, Dawn + SwiftShader):
 * logits within 1e-3 in f32, and greedy 64-token continuations identical through the engine.
 */
import { createEngine, type Runtime, type RuntimeFactory, type StepInput } from '@cinder/engine';
import { ensureFixtures } from '@cinder/fixtures';
import { directoryModelSource, nodeGpu } from '@cinder/host-node';
import type { ModelSource } from '@cinder/model-format';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { webgpuRuntime } from './factory.ts';

const FIXTURES = ['tiny-llama', 'tiny-qwen3', 'tiny-qwen2', 'tiny-smollm2'];
const webgpu = webgpuRuntime({ gpu: nodeGpu() });
const dirs = new Map<string, string>();

beforeAll(async () => {
  for (const info of await ensureFixtures()) dirs.set(info.name, info.dir);
});

/** Logits of a prompt (all rows), then of 4 decode steps, from a fresh sequence. */
async function logitsTrace(runtime: Runtime, prompt: number[]): Promise<Float32Array[]> {
  const sequence = runtime.createSequence();
  const step = async (input: Omit<StepInput, 'sequence'>) =>
    (await runtime.step([{ sequence, ...input }]))[0].logits;
  const rows = [await step({ tokens: prompt, logits: 'all' })];
  for (const token of [7, 100, 3, 250]) rows.push(await step({ tokens: [token], logits: 'last' }));
  return rows;
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((row, r) => {
    expect(row.length).toBe(b[r].length);
    for (let i = 0; i < row.length; i++) worst = Math.max(worst, Math.abs(row[i] - b[r][i]));
  });
  return worst;
}

interface Completion {
  choices: {
    text?: string;
    message?: { content: string | null };
    token_ids?: number[];
    logprobs?: { content: { token: string; logprob: number }[] };
  }[];
}

async function complete(
  source: ModelSource,
  runtime: RuntimeFactory,
  params: Record<string, unknown>,
): Promise<Completion> {
  const engine = createEngine({ models: [{ source, runtime, loadOptions: { dtype: 'f32' } }] });
  try {
    return (await engine.chat.completions.create({
      model: source.id,
      messages: [{ role: 'user', content: 'Tell me a story about a cat.' }],
      ignore_eos: true,
      ...params,
    })) as Completion;
  } finally {
    await engine.dispose();
  }
}

const greedy = (source: ModelSource, runtime: RuntimeFactory) =>
  complete(source, runtime, { temperature: 0, max_tokens: 64, logprobs: true, top_logprobs: 3 });

describe.each(FIXTURES)('%s, f32', (name) => {
  const prompt = Array.from({ length: 24 }, (_, i) => (i * 41 + 5) % 300);

  it('logits match the CPU reference within 1e-3', async () => {
    const source = directoryModelSource(dirs.get(name)!);
    const cpu = await cpuRuntime.load(source);
    const gpu = await webgpu.load(source, { dtype: 'f32' });
    const diff = maxAbsDiff(await logitsTrace(gpu, prompt), await logitsTrace(cpu, prompt));
    await gpu.dispose();
    console.log(`${name} f32: max |logit diff| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-3);
  }, 300_000);

  it('greedy 64-token continuations are identical through the engine', async () => {
    const source = directoryModelSource(dirs.get(name)!);
    const [expected, actual] = [await greedy(source, cpuRuntime), await greedy(source, webgpu)];
    const tokens = (c: Completion) => c.choices[0].logprobs!.content.map((entry) => entry.token);
    expect(tokens(actual)).toHaveLength(64);
    expect(tokens(actual)).toEqual(tokens(expected));
    expect(actual.choices[0].message?.content).toBe(expected.choices[0].message?.content);
    const logprobs = (c: Completion) => c.choices[0].logprobs!.content.map((entry) => entry.logprob);
    const worst = Math.max(...logprobs(actual).map((value, i) => Math.abs(value - logprobs(expected)[i])));
    expect(worst).toBeLessThanOrEqual(1e-3);
  }, 300_000);
});

describe.each(['tiny-qwen2', 'tiny-smollm2'])('%s, seeded sampling', (name) => {
  it('temperature + top-k + top-p drawn on the GPU pick what the CPU sampler picks', async () => {
    const source = directoryModelSource(dirs.get(name)!);
    const params = {
      temperature: 0.8,
      top_k: 20,
      top_p: 0.9,
      seed: 11,
      max_tokens: 24,
      n: 2,
      logprobs: true,
    };
    const [expected, actual] = [
      await complete(source, cpuRuntime, params),
      await complete(source, webgpu, params),
    ];
    const tokens = (c: Completion) =>
      c.choices.map((choice) => choice.logprobs!.content.map((entry) => entry.token));
    expect(tokens(actual)).toEqual(tokens(expected));
    expect(tokens(actual)[0]).not.toEqual(tokens(actual)[1]);
  }, 300_000);
});
