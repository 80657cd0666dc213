/**
 * Runtime throughput on one fixture: prefill tokens/s (one step over a long prompt), decode
 * tokens/s (one token per step, one sequence), and batched decode (4 sequences per step).
 */
import type { RuntimeFactory } from '@cinder/engine';
import type { ModelSource } from '@cinder/model-format';
import type { Row } from './table.ts';

export interface RuntimeBenchOptions {
  readonly prefillTokens: number;
  readonly decodeTokens: number;
  readonly batch: number;
}

export async function benchRuntime(
  label: string,
  factory: RuntimeFactory,
  source: ModelSource,
  options: RuntimeBenchOptions,
): Promise<Row[]> {
  const runtime = await factory.load(source);
  const vocab = runtime.model.vocabSize;
  const prompt = Array.from({ length: options.prefillTokens }, (_, i) => (i * 7919) % Math.min(vocab, 1000));

  const warm = runtime.createSequence();
  await runtime.step([{ sequence: warm, tokens: prompt.slice(0, 8), logits: 'last' }]);
  runtime.release(warm);

  const sequence = runtime.createSequence();
  let start = performance.now();
  await runtime.step([{ sequence, tokens: prompt, logits: 'last' }]);
  const prefillSeconds = (performance.now() - start) / 1000;

  start = performance.now();
  for (let i = 0; i < options.decodeTokens; i++) {
    await runtime.step([{ sequence, tokens: [prompt[i % prompt.length]], logits: 'last' }]);
  }
  const decodeSeconds = (performance.now() - start) / 1000;

  const batch = Array.from({ length: options.batch }, () => runtime.fork(sequence, options.prefillTokens));
  start = performance.now();
  for (let i = 0; i < options.decodeTokens; i++) {
    await runtime.step(
      batch.map((s, j) => ({ sequence: s, tokens: [(i + j) % 1000], logits: 'last' as const })),
    );
  }
  const batchSeconds = (performance.now() - start) / 1000;
  await runtime.dispose();

  const model = `${label} (${(runtime.model.weightBytes / 1e6).toFixed(1)} MB ${runtime.model.dtype})`;
  return [
    {
      benchmark: `${runtime.backend} prefill`,
      model,
      setting: `${options.prefillTokens}-token prompt`,
      result: `${(options.prefillTokens / prefillSeconds).toFixed(1)} tok/s`,
    },
    {
      benchmark: `${runtime.backend} decode`,
      model,
      setting: `1 sequence, ${options.decodeTokens} steps`,
      result: `${(options.decodeTokens / decodeSeconds).toFixed(1)} tok/s`,
    },
    {
      benchmark: `${runtime.backend} batched decode`,
      model,
      setting: `${options.batch} sequences, ${options.decodeTokens} steps`,
      result: `${((options.batch * options.decodeTokens) / batchSeconds).toFixed(1)} tok/s`,
    },
  ];
}
