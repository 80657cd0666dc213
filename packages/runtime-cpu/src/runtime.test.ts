import type { LoadProgress, Runtime, StepInput } from '@cinder/engine';
import { memoryModelSource } from '@cinder/model-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuRuntime } from './runtime.ts';
import { type RandomModelOptions, randomModelFiles, randomModelSource } from './testing/random-model.ts';

/** One step, keeping only the logits rows (the CPU runtime never samples on the device). */
async function logitsOf(runtime: Runtime, batch: StepInput[]): Promise<Float32Array[]> {
  return (await runtime.step(batch)).map((output) => output.logits);
}

const prompt = [5, 17, 3, 42, 9, 60, 1, 33];

/** Logits of the last token after feeding `tokens` to a fresh sequence one at a time. */
async function oneByOne(runtime: Runtime, tokens: number[]): Promise<Float32Array[]> {
  const sequence = runtime.createSequence();
  const rows: Float32Array[] = [];
  for (const token of tokens)
    rows.push((await logitsOf(runtime, [{ sequence, tokens: [token], logits: 'last' }]))[0]);
  runtime.release(sequence);
  return rows;
}

const variants: [string, RandomModelOptions][] = [
  ['Llama (GQA)', {}],
  [
    'Llama, tied embeddings, bias, llama3 rope',
    {
      tieWordEmbeddings: true,
      attentionBias: true,
      extraConfig: {
        rope_scaling: {
          rope_type: 'llama3',
          factor: 8,
          low_freq_factor: 1,
          high_freq_factor: 4,
          original_max_position_embeddings: 16,
        },
      },
    },
  ],
  ['Qwen2 (q/k/v bias)', { architecture: 'Qwen2ForCausalLM', numKvHeads: 1 }],
  ['Qwen3 (q/k norm, head_dim != hidden/heads)', { architecture: 'Qwen3ForCausalLM', headDim: 16 }],
];

describe.each(variants)('%s', (_, options) => {
  let runtime: Runtime;
  let reference: Float32Array[];
  beforeAll(async () => {
    runtime = await cpuRuntime.load(randomModelSource(options));
    reference = await oneByOne(runtime, prompt);
  });

  it('gives finite logits that depend on the context', () => {
    expect(reference[0].length).toBe(64);
    expect(reference.every((row) => row.every(Number.isFinite))).toBe(true);
    expect([...reference[7]]).not.toEqual([...reference[6]]);
  });

  it('prefill then decode equals one token at a time', async () => {
    const sequence = runtime.createSequence();
    const [all] = await logitsOf(runtime, [{ sequence, tokens: prompt.slice(0, 6), logits: 'all' }]);
    expect(sequence.length).toBe(6);
    expect(all.length).toBe(6 * 64);
    for (let j = 0; j < 6; j++) expect([...all.subarray(j * 64, (j + 1) * 64)]).toEqual([...reference[j]]);
    const [last] = await logitsOf(runtime, [{ sequence, tokens: prompt.slice(6), logits: 'last' }]);
    expect([...last]).toEqual([...reference[7]]);
    expect(sequence.length).toBe(8);
  });

  it('a batch of sequences gives the same logits as running them separately', async () => {
    const other = [7, 7, 2];
    const separate = await oneByOne(runtime, other);
    const a = runtime.createSequence();
    const b = runtime.createSequence();
    const [none, first] = await logitsOf(runtime, [
      { sequence: a, tokens: prompt.slice(0, 5), logits: 'none' },
      { sequence: b, tokens: other.slice(0, 1), logits: 'last' },
    ]);
    expect(none.length).toBe(0);
    expect([...first]).toEqual([...separate[0]]);
    const [fromA, fromB] = await logitsOf(runtime, [
      { sequence: a, tokens: prompt.slice(5), logits: 'last' },
      { sequence: b, tokens: other.slice(1), logits: 'last' },
    ]);
    expect([...fromA]).toEqual([...reference[7]]);
    expect([...fromB]).toEqual([...separate[2]]);
  });
});

describe('sequences', () => {
  let runtime: Runtime;
  let reference: Float32Array[];
  beforeAll(async () => {
    runtime = await cpuRuntime.load(randomModelSource({ seed: 5 }));
    reference = await oneByOne(runtime, prompt);
  });

  it('fork copies a prefix that then continues independently', async () => {
    const parent = runtime.createSequence();
    await logitsOf(runtime, [{ sequence: parent, tokens: prompt.slice(0, 6), logits: 'none' }]);
    const child = runtime.fork(parent, 4);
    const whole = runtime.fork(parent);
    expect([child.length, whole.length, parent.length]).toEqual([4, 6, 6]);
    expect(child.id).not.toBe(parent.id);

    const [fromChild] = await logitsOf(runtime, [
      { sequence: child, tokens: prompt.slice(4, 8), logits: 'all' },
    ]);
    expect([...fromChild.subarray(3 * 64)]).toEqual([...reference[7]]);
    const [fromParent] = await logitsOf(runtime, [{ sequence: parent, tokens: [99 % 64], logits: 'last' }]);
    const [fromWhole] = await logitsOf(runtime, [{ sequence: whole, tokens: [99 % 64], logits: 'last' }]);
    expect([...fromWhole]).toEqual([...fromParent]); // the child's writes did not leak into either
  });

  it('truncate forgets the tail so new tokens replace it', async () => {
    const sequence = runtime.createSequence();
    await logitsOf(runtime, [{ sequence, tokens: [1, 2, 3, 4, 5, 6, 7], logits: 'none' }]);
    runtime.truncate(sequence, 3);
    expect(sequence.length).toBe(3);
    const [after] = await logitsOf(runtime, [{ sequence, tokens: prompt.slice(3, 8), logits: 'last' }]);
    const fresh = runtime.createSequence();
    const [expected] = await logitsOf(runtime, [
      { sequence: fresh, tokens: [1, 2, 3, ...prompt.slice(3, 8)], logits: 'last' },
    ]);
    expect([...after]).toEqual([...expected]);
  });

  it('rejects bad steps without changing anything', async () => {
    const sequence = runtime.createSequence();
    const other = runtime.createSequence();
    await expect(runtime.step([{ sequence, tokens: [64], logits: 'last' }])).rejects.toThrow(
      /token id 64 is outside/,
    );
    await expect(runtime.step([{ sequence, tokens: [], logits: 'last' }])).rejects.toThrow(
      /at least one token/,
    );
    await expect(
      runtime.step([
        { sequence: other, tokens: [1], logits: 'none' },
        { sequence, tokens: new Array(257).fill(1), logits: 'none' },
      ]),
    ).rejects.toThrow(/exceed the context length 256/);
    await expect(
      runtime.step([
        { sequence, tokens: [1], logits: 'none' },
        { sequence, tokens: [2], logits: 'none' },
      ]),
    ).rejects.toThrow(/appears twice/);
    expect([sequence.length, other.length]).toEqual([0, 0]);
    expect(() => runtime.truncate(sequence, 1)).toThrow(RangeError);
    expect(() => runtime.fork(sequence, 2)).toThrow(RangeError);
    runtime.release(sequence);
    await expect(runtime.step([{ sequence, tokens: [1], logits: 'last' }])).rejects.toThrow(
      /does not exist or was released/,
    );
    expect(() => runtime.release(sequence)).toThrow(/was released/);
  });

  it('fills the whole context, growing the cache in chunks', async () => {
    const small = await cpuRuntime.load(randomModelSource({ seed: 5 }), { contextLength: 70 });
    expect(small.model.contextLength).toBe(70);
    const sequence = small.createSequence();
    const tokens = Array.from({ length: 70 }, (_, i) => (i * 7) % 64);
    const [all] = await logitsOf(small, [{ sequence, tokens, logits: 'all' }]);
    const rows = await oneByOne(small, tokens.slice(0, 3));
    expect([...all.subarray(2 * 64, 3 * 64)]).toEqual([...rows[2]]);
    await expect(small.step([{ sequence, tokens: [1], logits: 'last' }])).rejects.toThrow(
      /context length 70/,
    );
  });
});

describe('loading', () => {
  it('describes the model and reports progress per tensor', async () => {
    const progress: LoadProgress[] = [];
    const runtime = await cpuRuntime.load(randomModelSource({ tieWordEmbeddings: true }), {
      onProgress: (p) => progress.push(p),
    });
    // 1 embedding + 2 layers x 9 tensors + final norm; tied, so no lm_head.
    expect(progress.length).toBe(1 + 2 * 9 + 1);
    const total = progress[0].total!;
    expect(progress.at(-1)).toEqual({ loaded: total, total, file: 'model.safetensors' });
    expect(runtime.backend).toBe('cpu');
    expect(runtime.model).toEqual({
      architecture: 'LlamaForCausalLM',
      vocabSize: 64,
      contextLength: 256,
      dtype: 'f32',
      weightBytes: total, // F32 on disk, so the same bytes in memory
    });
    await runtime.dispose();
    expect(() => runtime.createSequence()).toThrow(/disposed/);
  });

  it('loads F16 and BF16 checkpoints as float32', async () => {
    for (const dtype of ['F16', 'BF16'] as const) {
      const runtime = await cpuRuntime.load(randomModelSource({ dtype }));
      expect(runtime.model.dtype).toBe('f32');
      const [logits] = await oneByOne(runtime, [3]);
      expect(logits.every(Number.isFinite)).toBe(true);
    }
  });

  it('caps the context at the model maximum and a sliding window', async () => {
    const capped = await cpuRuntime.load(randomModelSource(), { contextLength: 10_000 });
    expect(capped.model.contextLength).toBe(256);
    const mistral = randomModelSource({
      architecture: 'MistralForCausalLM',
      extraConfig: { sliding_window: 32 },
    });
    expect((await cpuRuntime.load(mistral)).model.contextLength).toBe(32);
  });

  it('fails clearly on a missing tensor, a wrong shape or an unsupported dtype', async () => {
    await expect(cpuRuntime.load(randomModelSource(), { dtype: 'q4' })).rejects.toThrow(
      /dtype q4 is not supported/,
    );
    const files = randomModelFiles();
    const lying = {
      ...files,
      'config.json': JSON.stringify({ ...JSON.parse(files['config.json'] as string), vocab_size: 65 }),
    };
    await expect(cpuRuntime.load(memoryModelSource('lying', lying))).rejects.toThrow(
      'Tensor model.embed_tokens.weight has shape [64, 32], expected [65, 32]',
    );
    const untied = {
      ...files,
      'model.safetensors': randomModelFiles({ tieWordEmbeddings: true })['model.safetensors'],
    };
    await expect(cpuRuntime.load(memoryModelSource('untied', untied))).rejects.toThrow(
      'Model untied has no tensor lm_head.weight',
    );
  });
});
