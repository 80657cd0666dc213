/**
 * The runtime conformance suite: what every Runtime must do, whatever runs it (cf. Hono's
 * `common.case.test.ts`). A runtime's test file calls `runRuntimeConformance` with its factory;
 * runtime-webgpu runs it for both the WebGPU and the CPU runtime. Logits are compared with a
 * small tolerance, since a GPU may sum in another order for a batch than for one token.
 */
import type { DeviceSampling, Runtime, RuntimeFactory, RuntimeLoadOptions, StepInput } from '@cinder/engine';
import { type RandomModelOptions, randomModelSource } from '@cinder/runtime-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface ConformanceOptions {
  readonly name: string;
  readonly factory: RuntimeFactory;
  readonly loadOptions?: RuntimeLoadOptions;
  /** Largest allowed |a - b| between logits that should be equal. Default 1e-4. */
  readonly tolerance?: number;
}

const VOCAB = 64;
const prompt = [5, 17, 3, 42, 9, 60, 1, 33];

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

export function runRuntimeConformance(options: ConformanceOptions): void {
  const tolerance = options.tolerance ?? 1e-4;
  const load = (model: RandomModelOptions) =>
    options.factory.load(randomModelSource(model), options.loadOptions);
  const expectClose = (actual: Float32Array, expected: Float32Array, what: string) => {
    expect(actual.length, what).toBe(expected.length);
    let worst = 0;
    for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    expect(worst, `${what}: max |diff|`).toBeLessThanOrEqual(tolerance);
  };
  const logitsOf = async (runtime: Runtime, batch: StepInput[]) =>
    (await runtime.step(batch)).map((output) => output.logits);
  const oneByOne = async (runtime: Runtime, tokens: number[]) => {
    const sequence = runtime.createSequence();
    const rows: Float32Array[] = [];
    for (const token of tokens)
      rows.push((await logitsOf(runtime, [{ sequence, tokens: [token], logits: 'last' }]))[0]);
    runtime.release(sequence);
    return rows;
  };

  describe(`${options.name} runtime conformance`, () => {
    describe.each(variants)('%s', (_, model) => {
      let runtime: Runtime;
      let reference: Float32Array[];
      beforeAll(async () => {
        runtime = await load(model);
        reference = await oneByOne(runtime, prompt);
      });
      afterAll(() => runtime.dispose());

      it('describes the model and gives finite logits that depend on the context', () => {
        expect(runtime.backend).toBe(options.factory.backend);
        expect(runtime.model.vocabSize).toBe(VOCAB);
        expect(runtime.model.weightBytes).toBeGreaterThan(0);
        expect(reference[0].length).toBe(VOCAB);
        expect(reference.every((row) => row.every(Number.isFinite))).toBe(true);
        expect([...reference[7]]).not.toEqual([...reference[6]]);
      });

      it('prefill then decode equals one token at a time', async () => {
        const sequence = runtime.createSequence();
        const [all] = await logitsOf(runtime, [{ sequence, tokens: prompt.slice(0, 6), logits: 'all' }]);
        expect(sequence.length).toBe(6);
        expect(all.length).toBe(6 * VOCAB);
        for (let j = 0; j < 6; j++)
          expectClose(all.subarray(j * VOCAB, (j + 1) * VOCAB), reference[j], `row ${j}`);
        const [last] = await logitsOf(runtime, [{ sequence, tokens: prompt.slice(6), logits: 'last' }]);
        expectClose(last, reference[7], 'last');
        expect(sequence.length).toBe(8);
        runtime.release(sequence);
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
        expectClose(first, separate[0], 'b first');
        const [fromA, fromB] = await logitsOf(runtime, [
          { sequence: a, tokens: prompt.slice(5), logits: 'last' },
          { sequence: b, tokens: other.slice(1), logits: 'all' },
        ]);
        expectClose(fromA, reference[7], 'a');
        expectClose(fromB.subarray(VOCAB), separate[2], 'b');
        runtime.release(a);
        runtime.release(b);
      });
    });

    describe('sequences', () => {
      let runtime: Runtime;
      let reference: Float32Array[];
      beforeAll(async () => {
        runtime = await load({ seed: 5, maxPositionEmbeddings: 512 });
        reference = await oneByOne(runtime, prompt);
      });
      afterAll(() => runtime.dispose());

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
        expectClose(fromChild.subarray(3 * VOCAB), reference[7], 'child');
        const [fromParent] = await logitsOf(runtime, [{ sequence: parent, tokens: [35], logits: 'last' }]);
        const [fromWhole] = await logitsOf(runtime, [{ sequence: whole, tokens: [35], logits: 'last' }]);
        expectClose(fromWhole, fromParent, 'whole vs parent');
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
        expectClose(after, expected, 'after truncate');
      });

      it('long prompts give the same logits in one step or in pieces, across cache pages', async () => {
        const long = Array.from({ length: 300 }, (_, i) => (i * 37 + 11) % VOCAB);
        const whole = runtime.createSequence();
        const [all] = await logitsOf(runtime, [{ sequence: whole, tokens: long, logits: 'all' }]);
        const pieces = runtime.createSequence();
        await logitsOf(runtime, [{ sequence: pieces, tokens: long.slice(0, 70), logits: 'none' }]);
        const [middle] = await logitsOf(runtime, [
          { sequence: pieces, tokens: long.slice(70, 299), logits: 'last' },
        ]);
        const [last] = await logitsOf(runtime, [
          { sequence: pieces, tokens: long.slice(299), logits: 'last' },
        ]);
        expectClose(middle, all.subarray(298 * VOCAB, 299 * VOCAB), 'position 298');
        expectClose(last, all.subarray(299 * VOCAB), 'position 299');
        const forked = runtime.fork(pieces, 200);
        const [again] = await logitsOf(runtime, [
          { sequence: forked, tokens: long.slice(200, 201), logits: 'last' },
        ]);
        expectClose(again, all.subarray(200 * VOCAB, 201 * VOCAB), 'forked at 200');
      });

      it('rejects bad steps without changing anything', async () => {
        const sequence = runtime.createSequence();
        const other = runtime.createSequence();
        await expect(runtime.step([{ sequence, tokens: [VOCAB], logits: 'last' }])).rejects.toThrow(
          /token id 64 is outside/,
        );
        await expect(runtime.step([{ sequence, tokens: [], logits: 'last' }])).rejects.toThrow(
          /at least one token/,
        );
        await expect(
          runtime.step([
            { sequence: other, tokens: [1], logits: 'none' },
            { sequence, tokens: new Array(513).fill(1), logits: 'none' },
          ]),
        ).rejects.toThrow(/exceed the context length 512/);
        await expect(
          runtime.step([
            { sequence, tokens: [1], logits: 'none' },
            { sequence, tokens: [2], logits: 'none' },
          ]),
        ).rejects.toThrow(/appears twice/);
        expect([sequence.length, other.length]).toEqual([0, 0]);
        expect(() => runtime.fork(sequence, 1)).toThrow(RangeError);
        runtime.release(other);
        await expect(runtime.step([{ sequence: other, tokens: [1], logits: 'none' }])).rejects.toThrow(
          /does not exist/,
        );
      });

      it('draws on the device consistently with its own logits, when it samples', async () => {
        if (!runtime.deviceSampling) return;
        const greedy: DeviceSampling = {
          temperature: 0,
          topK: 0,
          topP: 1,
          uniform: 0,
          logprob: true,
          topLogprobs: 5,
        };
        const warm: DeviceSampling = {
          temperature: 0.9,
          topK: 20,
          topP: 0.9,
          uniform: 0.42,
          logprob: false,
          topLogprobs: 0,
        };
        const a = runtime.createSequence();
        const b = runtime.createSequence();
        const [fromA, fromB] = await runtime.step([
          { sequence: a, tokens: prompt, logits: 'last', sample: greedy },
          { sequence: b, tokens: prompt, logits: 'none', sample: warm },
        ]);
        const row = fromA.logits;
        const best = row.indexOf(Math.max(...row));
        const lse = Math.log(row.reduce((sum, v) => sum + Math.exp(v), 0));
        expect(fromA.sampled?.token).toBe(best);
        expect(fromA.sampled?.logprob).toBeCloseTo(row[best] - lse, 4);
        expect(fromA.sampled?.top.map((entry) => entry.id)[0]).toBe(best);
        expect(fromA.sampled?.top).toHaveLength(5);
        expect(fromB.logits.length).toBe(0);
        expect(fromB.sampled?.top).toHaveLength(0);
        // Not asked for: the token's logprob is not reported.
        expect(fromB.sampled?.logprob).toBeNaN();
        const token = fromB.sampled?.token ?? -1;
        expect(token >= 0 && token < VOCAB).toBe(true);
        // The same draw from the same state picks the same token.
        const c = runtime.createSequence();
        const [fromC] = await runtime.step([{ sequence: c, tokens: prompt, logits: 'none', sample: warm }]);
        expect(fromC.sampled?.token).toBe(token);
        expect([a.length, b.length, c.length]).toEqual([8, 8, 8]);
      });
    });

    it('cannot be used after dispose', async () => {
      const runtime = await load({ seed: 9 });
      const sequence = runtime.createSequence();
      await runtime.dispose();
      expect(() => runtime.createSequence()).toThrow(/disposed/);
      await expect(runtime.step([{ sequence, tokens: [1], logits: 'last' }])).rejects.toThrow();
    });
  });
}
