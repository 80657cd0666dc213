/**
 * Storage dtypes against their dequantized reference: the CPU runtime on a copy of the model whose
 * weights are exactly the values the GPU reads back from f16 / q8 / q4 storage. The GPU then does
 * the same arithmetic in another order, so the tolerance stays 1e-3 (measured: below 1e-4).
 * Also: tensors split across bindings (a 1 MB binding limit splits tiny-qwen3's 152k x 16 embedding)
 * and steps split into passes (one logits row per pass at that limit).
 */
import type { Runtime, RuntimeFactory } from '@cinder/engine';
import { ensureFixtures } from '@cinder/fixtures';
import { directoryModelSource, nodeGpu } from '@cinder/host-node';
import type { ModelSource } from '@cinder/model-format';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { webgpuRuntime } from './factory.ts';
import { dequantizedSource } from './testing/dequantized-source.ts';

const dirs = new Map<string, string>();
beforeAll(async () => {
  for (const info of await ensureFixtures()) dirs.set(info.name, info.dir);
});

const prompt = Array.from({ length: 12 }, (_, i) => (i * 41 + 5) % 300);

async function trace(runtime: Runtime): Promise<Float32Array[]> {
  const sequence = runtime.createSequence();
  const rows = [(await runtime.step([{ sequence, tokens: prompt, logits: 'all' }]))[0].logits];
  for (const token of [7, 100])
    rows.push((await runtime.step([{ sequence, tokens: [token], logits: 'last' }]))[0].logits);
  return rows;
}

async function diffAgainst(
  reference: ModelSource,
  source: ModelSource,
  factory: RuntimeFactory,
  dtype: string,
) {
  const cpu = await cpuRuntime.load(reference);
  const gpu = await factory.load(source, { dtype });
  const [expected, actual] = [await trace(cpu), await trace(gpu)];
  await gpu.dispose();
  let worst = 0;
  expected.forEach((row, r) => {
    expect(actual[r].length).toBe(row.length);
    for (let i = 0; i < row.length; i++) worst = Math.max(worst, Math.abs(actual[r][i] - row[i]));
  });
  return worst;
}

describe.each(['tiny-qwen2', 'tiny-smollm2', 'tiny-qwen3', 'tiny-llama'])('%s', (name) => {
  it.each(['f16', 'q8', 'q4'] as const)(
    '%s logits match the dequantized reference within 1e-3',
    async (dtype) => {
      const source = directoryModelSource(dirs.get(name)!);
      const reference = await dequantizedSource(source, dtype);
      const diff = await diffAgainst(reference, source, webgpuRuntime({ gpu: nodeGpu() }), dtype);
      console.log(`${name} ${dtype}: max |logit diff| vs dequantized reference ${diff.toExponential(2)}`);
      expect(diff).toBeLessThanOrEqual(1e-3);
    },
    300_000,
  );
});

describe('tensors larger than a binding', () => {
  it.each(['f32', 'q4'] as const)(
    '%s: split embedding / LM head and one-row passes still match',
    async (dtype) => {
      const source = directoryModelSource(dirs.get('tiny-qwen3')!);
      const reference = dtype === 'f32' ? source : await dequantizedSource(source, dtype);
      const factory = webgpuRuntime({ gpu: nodeGpu(), maxBindingBytes: 1 << 20 });
      const diff = await diffAgainst(reference, source, factory, dtype);
      expect(diff).toBeLessThanOrEqual(1e-3);
    },
    300_000,
  );
});
