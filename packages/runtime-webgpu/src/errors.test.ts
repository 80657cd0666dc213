/**
 * Failures surface as clear WebGpuErrors: a lost device (and a new runtime afterwards), a model
 * over the memory budget (with what would fit), GPU validation errors, use after dispose.
 */
import { createEngine } from '@cinder/engine';
import { ensureFixture } from '@cinder/fixtures';
import { directoryModelSource, nodeGpu } from '@cinder/host-node';
import { readLlamaConfig } from '@cinder/model-format';
import { randomModelSource } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { webgpuRuntime } from './factory.ts';
import { acquireDevice } from './gpu/device.ts';
import { WebGpuError, withErrorScopes } from './gpu/errors.ts';
import { planMemory } from './weights/memory-plan.ts';

const webgpu = webgpuRuntime({ gpu: nodeGpu() });

describe('errors', () => {
  it('predicts a model over the memory budget before loading, naming a dtype that fits', async () => {
    const source = randomModelSource({ hiddenSize: 64, intermediateSize: 128, vocabSize: 512 });
    const config = await readLlamaConfig(source);
    const need = (dtype: 'f32' | 'q8') => {
      const plan = planMemory(config, dtype);
      return plan.weightBytes + plan.kvBytesPerToken * 128;
    };
    const budget = webgpuRuntime({ gpu: nodeGpu(), memoryBudgetBytes: need('q8') + 1 });
    const load = budget.load(source, { dtype: 'f32', contextLength: 128 });
    await expect(load).rejects.toThrow(WebGpuError);
    await expect(budget.load(source, { dtype: 'f32', contextLength: 128 })).rejects.toThrow(
      /over the .* budget .* would fit with dtype q8/,
    );
    const fits = await budget.load(source, { dtype: 'q8', contextLength: 128 });
    expect(fits.model.dtype).toBe('q8');
    await fits.dispose();
  });

  it('reports GPU validation errors as WebGpuErrors', async () => {
    const { device, limits } = await acquireDevice(nodeGpu());
    const tooBig = () => device.createBuffer({ size: limits.maxBufferBytes + 4, usage: 0x80 });
    await expect(withErrorScopes(device, 'testing', tooBig)).rejects.toMatchObject({
      code: 'gpu_validation',
    });
  });

  it('rejects unknown dtypes', async () => {
    await expect(webgpu.load(randomModelSource(), { dtype: 'int3' })).rejects.toThrow(/f32, f16, q8 or q4/);
  });

  it('a lost device fails requests with a clear error, never a hang, and a new runtime loads', async () => {
    const source = directoryModelSource(await ensureFixture('tiny-smollm2'));
    const engine = createEngine({ models: [{ source, runtime: webgpu }] });
    const request = {
      model: source.id,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 4,
      temperature: 0,
    };
    await engine.chat.completions.create(request);
    (await acquireDevice(nodeGpu())).device.destroy();
    await expect(engine.chat.completions.create(request)).rejects.toMatchObject({
      status: 500,
      message: expect.stringMatching(/WebGPU device was lost/),
    });
    await engine.dispose().catch(() => {});

    const again = await webgpu.load(source);
    const sequence = again.createSequence();
    const [out] = await again.step([{ sequence, tokens: [1, 2, 3], logits: 'last' }]);
    expect(out.logits.every(Number.isFinite)).toBe(true);
    await again.dispose();
  }, 120_000);
});
