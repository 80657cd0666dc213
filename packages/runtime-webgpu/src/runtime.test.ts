import { createEngine, type Runtime, type StepInput } from '@cinder/engine';
import { ensureFixture } from '@cinder/fixtures';
import { directoryModelSource, nodeGpu } from '@cinder/host-node';
import { cpuRuntime, randomModelSource } from '@cinder/runtime-cpu';
import { expect, it } from 'vitest';
import { webgpuRuntime } from './factory.ts';
import type { WebGpuRuntime } from './runtime.ts';
import { runRuntimeConformance } from './testing/runtime.case.ts';

// On SwiftShader `auto` picks the serial kernels; the cooperative (GPU) ones are checked below.
runRuntimeConformance({
  name: 'webgpu f32',
  factory: webgpuRuntime({ gpu: nodeGpu() }),
  loadOptions: { dtype: 'f32' },
});

it('the cooperative (shared-memory) kernels give the logits of the serial ones', async () => {
  const source = randomModelSource({ architecture: 'Qwen3ForCausalLM', headDim: 16, seed: 3 });
  const trace = async (runtime: Runtime) => {
    const sequence = runtime.createSequence();
    const prompt = Array.from({ length: 40 }, (_, i) => (i * 7) % 64);
    const rows = [(await runtime.step([{ sequence, tokens: prompt, logits: 'all' }]))[0].logits];
    for (const token of [3, 9])
      rows.push((await runtime.step([{ sequence, tokens: [token], logits: 'last' }]))[0].logits);
    await runtime.dispose();
    return rows;
  };
  const [gpu, serial] = [
    await trace(await webgpuRuntime({ gpu: nodeGpu(), kernels: 'gpu' }).load(source, { dtype: 'q8' })),
    await trace(await webgpuRuntime({ gpu: nodeGpu(), kernels: 'serial' }).load(source, { dtype: 'q8' })),
  ];
  gpu.forEach((row, r) => {
    expect(row.length).toBe(serial[r].length);
    row.forEach((value, i) => {
      expect(Math.abs(value - serial[r][i])).toBeLessThanOrEqual(1e-4);
    });
  });
}, 300_000);

it('reads back 4 bytes per device-sampled token, 8 + 8 per top logprob when logprobs are asked', async () => {
  const runtime = (await webgpuRuntime({ gpu: nodeGpu() }).load(randomModelSource({ seed: 4 }), {
    dtype: 'f32',
  })) as WebGpuRuntime;
  const draw = { temperature: 0, topK: 0, topP: 1, uniform: 0, logprob: false, topLogprobs: 0 };
  const [a, b] = [runtime.createSequence(), runtime.createSequence()];
  const readBack = async (batch: StepInput[]) => {
    const before = runtime.counters.readbackBytes;
    const outputs = await runtime.step(batch);
    return { bytes: runtime.counters.readbackBytes - before, outputs };
  };
  const plain = await readBack([
    { sequence: a, tokens: [1, 2, 3], logits: 'none', sample: draw },
    { sequence: b, tokens: [4], logits: 'none', sample: draw },
  ]);
  expect(plain.bytes).toBe(2 * 4);
  const [fromA] = plain.outputs;
  const scored = await readBack([
    { sequence: a, tokens: [fromA.sampled!.token], logits: 'none', sample: { ...draw, logprob: true } },
    { sequence: b, tokens: [5], logits: 'none', sample: { ...draw, logprob: true, topLogprobs: 3 } },
  ]);
  expect(scored.bytes).toBe(8 + (8 + 3 * 8));
  const [withLogprob, withTop] = scored.outputs.map((output) => output.sampled!);
  expect(withLogprob.logprob).toBeLessThanOrEqual(0);
  expect(withLogprob.top).toEqual([]);
  expect(withTop.top).toHaveLength(3);
  expect(withTop.top[0]).toEqual({ id: withTop.token, logprob: withTop.logprob });
  await runtime.dispose();
});

it('the sampler draws the same with subgroup reductions as with shared-memory ones', async () => {
  const source = randomModelSource({ seed: 6, vocabSize: 1000 });
  const draws = async (subgroups: boolean) => {
    const runtime = await webgpuRuntime({ gpu: nodeGpu(), subgroups }).load(source, { dtype: 'f32' });
    const base = { temperature: 0.8, topK: 0, topP: 1, logprob: true, topLogprobs: 4 };
    const samples = [
      { ...base, temperature: 0, uniform: 0 },
      { ...base, uniform: 0.3 },
      { ...base, topK: 40, uniform: 0.77 },
      { ...base, topP: 0.6, uniform: 0.5 },
    ];
    const sequences = samples.map(() => runtime.createSequence());
    const outputs = await runtime.step(
      samples.map((sample, i) => ({ sequence: sequences[i], tokens: [3, i + 1], logits: 'none', sample })),
    );
    await runtime.dispose();
    return outputs.map((output) => output.sampled!);
  };
  const [withSubgroups, without] = [await draws(true), await draws(false)];
  expect(withSubgroups.map((s) => s.token)).toEqual(without.map((s) => s.token));
  withSubgroups.forEach((sampled, i) => {
    expect(sampled.logprob).toBeCloseTo(without[i].logprob, 5);
    expect(sampled.top.map((entry) => entry.id)).toEqual(without[i].top.map((entry) => entry.id));
  });
}, 300_000);

it('grammars, logit_bias and penalties draw on the device: the CPU runtime tokens, reading back a token, not a row', async () => {
  const dir = await ensureFixture('tiny-smollm2');
  let gpu: WebGpuRuntime | null = null;
  const factory = webgpuRuntime({ gpu: nodeGpu() });
  const onGpu = createEngine({
    models: [
      {
        source: directoryModelSource(dir, 'm'),
        runtime: {
          ...factory,
          async load(source, options) {
            gpu = (await factory.load(source, { ...options, dtype: 'f32' })) as WebGpuRuntime;
            return gpu;
          },
        },
      },
    ],
  });
  const onCpu = createEngine({ models: [{ source: directoryModelSource(dir, 'm'), runtime: cpuRuntime }] });
  const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
  for (const extra of [
    { response_format: { type: 'json_object' } },
    { response_format: { type: 'json_schema', json_schema: { name: 'n', schema } } },
    // Additions to the logits, drawn on the device too.
    { presence_penalty: 0.7, frequency_penalty: 0.9, logit_bias: { '17': 4, '40': -3 } },
    { response_format: { type: 'json_object' }, frequency_penalty: 1.2 },
    // Removals (-Infinity additions) and a kept-ids mask.
    { ignore_eos: true, bad_words: ['the', ' a'], min_tokens: 4 },
    { ignore_eos: true, allowed_token_ids: [5, 9, 17, 64, 100] },
  ]) {
    const request = {
      model: 'm',
      messages: [{ role: 'user', content: 'A name, as JSON.' }],
      max_tokens: 24,
      temperature: 0,
      return_token_ids: true,
      ...extra,
    };
    await onGpu.loadModel('m');
    const before = gpu!.counters.readbackBytes;
    const [a, b] = (await Promise.all([
      onGpu.chat.completions.create(request),
      onCpu.chat.completions.create(request),
    ])) as Array<{ choices: Array<{ token_ids?: number[]; message: { content: string | null } }> }>;
    expect(a.choices[0].token_ids).toEqual(b.choices[0].token_ids);
    expect(a.choices[0].message.content).toBe(b.choices[0].message.content);
    // 4 bytes (the token) per draw: no 4 x vocab logits row.
    const tokens = a.choices[0].token_ids!.length;
    expect(gpu!.counters.readbackBytes - before).toBe(4 * tokens);
  }
  await onGpu.dispose();
  await onCpu.dispose();
}, 300_000);

it('a draw with more additions than the sampler buffers hold grows them', async () => {
  const runtime = (await webgpuRuntime({ gpu: nodeGpu() }).load(
    randomModelSource({ seed: 8, vocabSize: 9000 }),
    {
      dtype: 'f32',
    },
  )) as WebGpuRuntime;
  const sequence = runtime.createSequence();
  // 6000 ids pushed down, one lifted far above the rest: greedy must take it.
  const bias = Array.from({ length: 6000 }, (_, i) => [i, i === 4321 ? 200 : -5] as const);
  const draw = { temperature: 0, topK: 0, topP: 1, uniform: 0, logprob: false, topLogprobs: 0, bias };
  const [output] = await runtime.step([{ sequence, tokens: [1, 2, 3], logits: 'none', sample: draw }]);
  expect(output.sampled?.token).toBe(4321);
  await runtime.dispose();
});
