/**
 * The wllama runtime (llama.cpp in WebAssembly) in Chromium against our CPU reference runtime, on
 * GGUF conversions (@cinder/gguf) of the fixtures: log-softmax logits within 1e-4 in f32 and within
 * a documented bound in q8_0, greedy continuations identical in f32 for every architecture, batched
 * sequences equal to separate ones, and the shared runtime conformance suite (through a
 * WllamaRuntime in Node whose completions run in the page). One browser for the whole file.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createEngine, type DeviceSampling, type Runtime } from '@cinder/engine';
import { ensureFixtures } from '@cinder/fixtures';
import { directoryModelSource } from '@cinder/host-node';
import { cpuRuntime, mulberry32 } from '@cinder/runtime-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleReference } from '../../packages/runtime-webgpu/src/kernels/sample-reference.ts';
import { runRuntimeConformance } from '../../packages/runtime-webgpu/src/testing/runtime.case.ts';
import { hasChromium } from '../support/browser.ts';
import { ggufBytes, remoteWllamaFactory, startWllamaPage, type WllamaPage } from '../wllama-page/harness.ts';

const FIXTURES = ['tiny-smollm2', 'tiny-qwen2', 'tiny-llama', 'tiny-qwen3'] as const;
type Fixture = (typeof FIXTURES)[number];

let app: WllamaPage;
const dirs = new Map<string, string>();
const prompt = [5, 17, 3, 42, 100, 200, 7, 9, 64, 11, 250, 31];

/** log-softmax of a row (the wllama runtime's rows are already normalized). */
function logSoftmax(row: ArrayLike<number>): number[] {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) max = Math.max(max, row[i]);
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  const lse = max + Math.log(sum);
  return Array.from(row, (v) => v - lse);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

async function cpu(fixture: Fixture): Promise<Runtime> {
  return cpuRuntime.load(directoryModelSource(dirs.get(fixture)!));
}

/** The CPU runtime's greedy continuation (argmax, ties to the lowest id). */
async function cpuGreedy(runtime: Runtime, tokens: number[], count: number): Promise<number[]> {
  const sequence = runtime.createSequence();
  const out: number[] = [];
  let input = tokens;
  for (let i = 0; i < count; i++) {
    const [{ logits }] = await runtime.step([{ sequence, tokens: input, logits: 'last' }]);
    let best = 0;
    for (let j = 1; j < logits.length; j++) if (logits[j] > logits[best]) best = j;
    out.push(best);
    input = [best];
  }
  runtime.release(sequence);
  return out;
}

describe.skipIf(!hasChromium())('wllama runtime in Chromium', () => {
  beforeAll(async () => {
    for (const info of await ensureFixtures()) dirs.set(info.name, info.dir);
    app = await startWllamaPage();
    for (const fixture of FIXTURES) {
      const source = directoryModelSource(dirs.get(fixture)!);
      const config = await readFile(join(dirs.get(fixture)!, 'config.json'));
      const types = fixture === 'tiny-smollm2' ? (['f32', 'q8_0'] as const) : (['f32'] as const);
      for (const type of types) {
        await app.addModel(`${fixture}-${type}`, {
          'model.gguf': await ggufBytes(source, type),
          'config.json': config,
        });
      }
    }
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  it('loads a GGUF from a ModelSource and describes the model', async () => {
    const info = await app.call('load', 'smollm2', 'tiny-smollm2-f32');
    console.log(`wllama: tiny-smollm2 f32 loaded in ${info.ms.toFixed(0)} ms`);
    expect(info).toMatchObject({
      architecture: 'LlamaForCausalLM',
      vocabSize: 323,
      contextLength: 2048,
      dtype: 'f32',
    });
    expect(info.weightBytes).toBeGreaterThan(3_000_000);
    expect(info.threads).toBe(1);
    expect(await app.call('isolated')).toBe(true);
  });

  it.each([
    ['tiny-smollm2', 'f32', 1e-4],
    ['tiny-qwen2', 'f32', 1e-4],
    // q8_0 weights (and llama.cpp's q8 activations in its dot products) against the f32 reference:
    // measured max 0.49 / mean 0.085 on this random-weight model, whose logits span ~13 nats.
    ['tiny-smollm2', 'q8_0', 1],
  ] as const)(
    '%s %s: logits (log-softmax) match the CPU runtime within %s',
    async (fixture, type, tolerance) => {
      const key = `${fixture}-${type}`;
      if (key !== 'tiny-smollm2-f32') {
        const info = await app.call('load', key, key);
        expect(info.dtype).toBe(type === 'q8_0' ? 'q8' : 'f32');
      }
      const rows = await app.call('allLogits', key === 'tiny-smollm2-f32' ? 'smollm2' : key, prompt);
      const reference = await cpu(fixture);
      const sequence = reference.createSequence();
      const [{ logits }] = await reference.step([{ sequence, tokens: prompt, logits: 'all' }]);
      const vocab = reference.model.vocabSize;
      let worst = 0;
      let sum = 0;
      rows.forEach((row, j) => {
        const expected = logSoftmax(logits.subarray(j * vocab, (j + 1) * vocab));
        worst = Math.max(worst, maxDiff(row, expected));
        for (let i = 0; i < vocab; i++) sum += Math.abs(row[i] - expected[i]);
      });
      const mean = sum / (rows.length * vocab);
      console.log(
        `wllama: ${key} |Δ log-softmax| over ${prompt.length} positions: max ${worst.toExponential(2)}, mean ${mean.toExponential(2)}`,
      );
      expect(worst).toBeLessThanOrEqual(tolerance);
      if (key !== 'tiny-smollm2-f32') await app.call('dispose', key);
    },
  );

  it.each(FIXTURES)('%s f32: a greedy 32-token continuation equals the CPU runtime', async (fixture) => {
    const key = `${fixture}-f32`;
    const loaded = fixture === 'tiny-smollm2' ? 'smollm2' : key;
    if (fixture !== 'tiny-smollm2') await app.call('load', key, key);
    const expected = await cpuGreedy(await cpu(fixture), prompt, 32);
    const { tokens, logprobs } = await app.call('greedy', loaded, [prompt], 32);
    expect(tokens[0]).toEqual(expected);
    expect(logprobs[0].every((v) => v <= 0 && Number.isFinite(v))).toBe(true);
    if (fixture !== 'tiny-smollm2') await app.call('dispose', key);
  });

  it('two sequences stepped together give what each gives alone', async () => {
    const other = [9, 8, 7, 6, 5];
    const together = await app.call('greedy', 'smollm2', [prompt, other], 12);
    const alone = [
      (await app.call('greedy', 'smollm2', [prompt], 12)).tokens[0],
      (await app.call('greedy', 'smollm2', [other], 12)).tokens[0],
    ];
    expect(together.tokens).toEqual(alone);
  });

  it('fills the whole context, and not one token more', async () => {
    const info = await app.call('load', 'smollm2-64', 'tiny-smollm2-f32', { contextLength: 64 });
    expect(info.contextLength).toBe(64);
    const full = Array.from({ length: 64 }, (_, i) => (i * 13 + 5) % 323);
    const rows = await app.call('lastLogits', 'smollm2-64', full);
    const reference = await cpu('tiny-smollm2');
    const [{ logits }] = await reference.step([
      { sequence: reference.createSequence(), tokens: full, logits: 'last' },
    ]);
    expect(maxDiff(rows, logSoftmax(logits))).toBeLessThanOrEqual(1e-4);
    await expect(app.call('lastLogits', 'smollm2-64', [...full, 1])).rejects.toThrow(
      /exceed the context length 64/,
    );
    await app.call('dispose', 'smollm2-64');
  });

  it('runs the multi-thread build when asked (the page is cross-origin isolated)', async () => {
    const info = await app.call('load', 'smollm2-mt', 'tiny-smollm2-f32', { threads: 2 });
    expect(info.threads).toBe(2);
    const expected = await cpuGreedy(await cpu('tiny-smollm2'), prompt, 8);
    expect((await app.call('greedy', 'smollm2-mt', [prompt], 8)).tokens[0]).toEqual(expected);
    await app.call('dispose', 'smollm2-mt');
  });

  it('measures itself against wllama createCompletion (no speed asserted)', async () => {
    const result = await app.call('bench', 'smollm2', 64, 16);
    console.log('wllama bench (tiny-smollm2 f32, 1 thread):', JSON.stringify(result));
    expect(result.decodeTokensPerSecond).toBeGreaterThan(0);
    expect(result.wllamaDecodeTokensPerSecond).toBeGreaterThan(0);
  });

  it('a draw with top-k follows the engine semantics: the uniform picks the token (sample-reference)', async () => {
    const sampling = { temperature: 0.8, topK: 20, topP: 0.9, logprob: true, topLogprobs: 3 };
    const { tokens, logprobs } = await app.call('generate', 'smollm2', [prompt], 24, sampling, 7);
    // The page's uniforms: mulberry32(seed * 1000 + prompt index), one per step.
    const uniform = mulberry32(7000);
    const reference = await cpu('tiny-smollm2');
    const sequence = reference.createSequence();
    let input = prompt;
    for (let i = 0; i < tokens[0].length; i++) {
      const [{ logits }] = await reference.step([{ sequence, tokens: input, logits: 'last' }]);
      const draw: DeviceSampling = { ...sampling, uniform: uniform() };
      const expected = sampleReference(logits, draw);
      expect(tokens[0][i], `step ${i}`).toBe(expected.token);
      expect(logprobs[0][i]).toBeCloseTo(expected.logprob, 4);
      input = [expected.token];
    }
  });

  describe('lookahead (streamed completions)', () => {
    beforeAll(async () => {
      await app.call('load', 'smollm2-la', 'tiny-smollm2-f32', { lookahead: 8, sampledLookahead: true });
    });
    afterAll(async () => {
      await app.call('dispose', 'smollm2-la');
    });

    it('greedy continuations equal the CPU runtime across windows, two sequences at once', async () => {
      const other = [9, 8, 7, 6, 5];
      const reference = await cpu('tiny-smollm2');
      const expected = [await cpuGreedy(reference, prompt, 20), await cpuGreedy(reference, other, 20)];
      const { tokens, logprobs } = await app.call('greedy', 'smollm2-la', [prompt, other], 20);
      expect(tokens).toEqual(expected);
      expect(logprobs.flat().every((v) => v <= 0 && Number.isFinite(v))).toBe(true);
      // Again, now that llama-server's cache holds these prompts.
      expect((await app.call('greedy', 'smollm2-la', [other], 20)).tokens).toEqual([expected[1]]);
    });

    it('sampled runs (sampledLookahead) are reproducible from the seed', async () => {
      const sampling = { temperature: 0.9, topK: 0, topP: 0.95, logprob: false, topLogprobs: 0 };
      const first = await app.call('generate', 'smollm2-la', [prompt], 24, sampling, 3);
      const again = await app.call('generate', 'smollm2-la', [prompt], 24, sampling, 3);
      expect(again.tokens).toEqual(first.tokens);
      expect(first.tokens[0].every((t) => t >= 0 && t < 323)).toBe(true);
      expect(first.logprobs[0].every(Number.isNaN)).toBe(true);
    });

    it('measures the streamed path (no speed asserted)', async () => {
      const result = await app.call('bench', 'smollm2-la', 64, 32, 1);
      console.log('wllama bench (tiny-smollm2 f32, lookahead 8):', JSON.stringify(result));
      expect(result.decodeTokensPerSecond).toBeGreaterThan(0);
    });
  });

  it('serves chat completions like the engine on the CPU runtime (greedy draws streamed)', async () => {
    const source = directoryModelSource(dirs.get('tiny-smollm2')!);
    const onWllama = createEngine({ models: [{ source, runtime: remoteWllamaFactory(app) }] });
    const onCpu = createEngine({ models: [{ source, runtime: cpuRuntime }] });
    const base = {
      model: 'tiny-smollm2',
      messages: [{ role: 'user', content: 'Hello there!' }],
      max_tokens: 20,
    };
    const requests = [
      // device draws: greedy (streamed), and a seeded top-k draw (the engine's uniform decides on both runtimes)
      { ...base, temperature: 0, logprobs: true, top_logprobs: 2 },
      { ...base, temperature: 0 },
      { ...base, temperature: 0.8, top_k: 20, seed: 42, logprobs: true },
      // logits rows on the CPU side: penalties, a logit bias
      { ...base, temperature: 0, presence_penalty: 0.6, frequency_penalty: 0.4, logit_bias: { '50': 3 } },
      // removals and kept ids: never-produced biases and a mask
      { ...base, temperature: 0, min_tokens: 10, bad_words: ['the', ' a'] },
      { ...base, temperature: 0, allowed_token_ids: [5, 9, 17, 64, 100, 200] },
      // grammars: device draws with the mask as llama-server logit biases
      { ...base, temperature: 0, response_format: { type: 'json_object' } },
      {
        ...base,
        temperature: 0,
        logprobs: true,
        top_logprobs: 2,
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'reply',
            schema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
          },
        },
      },
    ];
    for (const request of requests) {
      const [a, b] = (await Promise.all([
        onWllama.chat.completions.create(request),
        onCpu.chat.completions.create(request),
      ])) as { choices: { message: { content: string }; logprobs: unknown }[] }[];
      expect(a.choices[0].message.content, JSON.stringify(request)).toBe(b.choices[0].message.content);
      if ('logprobs' in request) {
        const tokens = (c: (typeof a.choices)[0]) =>
          (c.logprobs as { content: { token: string; logprob: number }[] }).content.map((t) => t.token);
        expect(tokens(a.choices[0])).toEqual(tokens(b.choices[0]));
      }
    }
    await onWllama.dispose();
    await onCpu.dispose();
  });

  it('greedy streams that stop early (max_tokens, stop strings, abort) leave the next requests exact', async () => {
    const source = directoryModelSource(dirs.get('tiny-smollm2')!);
    const onWllama = createEngine({
      models: [{ source, runtime: remoteWllamaFactory(app, { lookahead: 32, lookaheadLead: 4 }) }],
    });
    const onCpu = createEngine({ models: [{ source, runtime: cpuRuntime }] });
    type Reply = { choices: { message: { content: string }; finish_reason: string }[] };
    const both = async (request: Record<string, unknown>) => {
      const [a, b] = (await Promise.all([
        onWllama.chat.completions.create(request),
        onCpu.chat.completions.create(request),
      ])) as Reply[];
      expect(a.choices[0].message.content, JSON.stringify(request)).toBe(b.choices[0].message.content);
      expect(a.choices[0].finish_reason).toBe(b.choices[0].finish_reason);
      return a.choices[0].message.content;
    };
    const user = { role: 'user', content: 'Tell me about the sea.' };
    const base = { model: 'tiny-smollm2', temperature: 0, ignore_eos: true };
    // Stops after 3 of a 32-token stream; the next turn resends it (the prefix cache forks it).
    const short = await both({ ...base, messages: [user], max_tokens: 3 });
    const turn = [user, { role: 'assistant', content: short }, { role: 'user', content: 'More.' }];
    await both({ ...base, messages: turn, max_tokens: 12 });
    // The same prompt, longer: the stream of the first request must not have moved anything on.
    const long = await both({ ...base, messages: [user], max_tokens: 16 });
    expect(long.startsWith(short)).toBe(true);
    // A stop string inside the reply.
    const stop = long.slice(Math.max(1, Math.floor(long.length / 2)), Math.floor(long.length / 2) + 2);
    if (stop.trim().length > 0) await both({ ...base, messages: [user], max_tokens: 16, stop: [stop] });
    // An aborted stream, then the same request again.
    const controller = new AbortController();
    const stream = (await onWllama.chat.completions.create(
      { ...base, messages: [user], max_tokens: 200, stream: true },
      { signal: controller.signal },
    )) as AsyncIterable<unknown>;
    let chunks = 0;
    await expect(
      (async () => {
        for await (const _ of stream) if (++chunks === 3) controller.abort();
      })(),
    ).rejects.toThrow();
    expect(await both({ ...base, messages: [user], max_tokens: 16 })).toBe(long);
    await onWllama.dispose();
    await onCpu.dispose();
  });

  describe('conformance', () => {
    runRuntimeConformance({
      name: 'wllama',
      get factory() {
        return remoteWllamaFactory(app);
      },
    });
  });
});
