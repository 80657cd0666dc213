import type { Runtime } from '@cinder/engine';
import { nodeGpu } from '@cinder/host-node';
import { randomModelSource } from '@cinder/runtime-cpu';
import { expect, it } from 'vitest';
import { webgpuRuntime } from './factory.ts';
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
