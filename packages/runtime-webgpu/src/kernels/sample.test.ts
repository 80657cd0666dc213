import type { DeviceSampling } from '@cinder/engine';
import { mulberry32 } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { newCounters, Recorder } from '../gpu/recorder.ts';
import { emptyBuffer, passBuffer, readBuffer, testContext, upload } from '../testing/gpu.ts';
import {
  createSample,
  encodeSampleBias,
  encodeSampleMask,
  encodeSampleParams,
  sampleMaskWords,
} from './sample.ts';
import { sampleReference } from './sample-reference.ts';

const base: DeviceSampling = {
  temperature: 1,
  topK: 0,
  topP: 1,
  uniform: 0.5,
  logprob: true,
  topLogprobs: 0,
};
const draws: [string, Partial<DeviceSampling>][] = [
  ['greedy', { temperature: 0, topLogprobs: 5 }],
  ['greedy, no logprob', { temperature: 0, logprob: false, topLogprobs: 5 }],
  ['top-k 7, no logprob', { topK: 7, temperature: 1.3, logprob: false }],
  ['temperature 0.7', { temperature: 0.7, topLogprobs: 20 }],
  ['top-k 1', { topK: 1 }],
  ['top-k 7', { topK: 7, temperature: 1.3 }],
  ['top-p 0.5', { topP: 0.5, topLogprobs: 3 }],
  ['top-p 0.95', { topP: 0.95, temperature: 0.8 }],
  ['top-k 50 + top-p 0.9', { topK: 50, topP: 0.9, temperature: 0.6, topLogprobs: 1 }],
];

/**
 * Grammar-like masks (xgrammar layout): a few scattered tokens, about a third of the vocabulary,
 * and a mask shorter than the vocabulary (ids past it are not allowed).
 */
function masks(seed: number, vocab: number): Int32Array[] {
  const random = mulberry32(seed);
  const words = Math.ceil(vocab / 32);
  const make = (length: number, keep: (id: number) => boolean) => {
    const mask = new Int32Array(length);
    for (let id = 0; id < Math.min(vocab, length * 32); id++) if (keep(id)) mask[id >> 5] |= 1 << (id & 31);
    return mask;
  };
  const few = new Set([3, 97, 500, vocab - 1]);
  return [
    make(words, (id) => few.has(id)),
    make(words, () => random() < 0.33),
    make(Math.floor(words / 2), () => random() < 0.5),
  ];
}

/** Logits on a coarse grid, so many values tie (ties are where id order matters). */
function logitsRows(seed: number, rows: number, vocab: number, grid: number): Float32Array {
  const random = mulberry32(seed);
  return new Float32Array(rows * vocab).map(() => Math.round((random() * 12 - 6) * grid) / grid);
}

describe.each([
  [1000, 4],
  [4099, 64],
])('sample (vocab %i, grid 1/%i)', (vocab, grid) => {
  it.each(['tree', 'subgroups', 'serial'] as const)(
    'draws the token the CPU twin draws, with the same raw logprobs (%s)',
    async (kind) => {
      const { device, features } = await testContext();
      // SwiftShader offers subgroups; an adapter without them checks the fallback twice.
      const subgroups = kind === 'subgroups' && features.subgroups;
      const uniforms = [0.001, 0.37, 0.5, 0.93, 0.999];
      const plain = draws.flatMap(([name, draw]) =>
        uniforms.map((uniform) => ({ name, draw: { ...base, ...draw, uniform } as DeviceSampling })),
      );
      const masked = masks(vocab, vocab).flatMap((allowed, m) =>
        draws.map(([name, draw], d) => ({
          name: `${name}, mask ${m}`,
          draw: { ...base, ...draw, uniform: uniforms[(d + m) % uniforms.length], allowed } as DeviceSampling,
        })),
      );
      // Additions (logit_bias, penalties) that lift low tokens and push the top ones down, alone and with a mask.
      const random = mulberry32(vocab * 7);
      const additions = (count: number) =>
        Array.from({ length: count }, () => [Math.floor(random() * vocab), (random() - 0.4) * 8] as const)
          .filter(([id], i, all) => all.findIndex(([other]) => other === id) === i)
          .sort((a, b) => a[0] - b[0]);
      const biased = draws.flatMap(([name, draw], d) => [
        {
          name: `${name}, additions`,
          draw: {
            ...base,
            ...draw,
            uniform: uniforms[d % uniforms.length],
            bias: additions(40),
          } as DeviceSampling,
        },
        {
          name: `${name}, additions + mask`,
          draw: {
            ...base,
            ...draw,
            uniform: uniforms[(d + 2) % uniforms.length],
            bias: additions(300),
            allowed: masks(vocab + 1, vocab)[1],
          } as DeviceSampling,
        },
      ]);
      const cases = [...plain, ...masked, ...biased];
      const rows = logitsRows(vocab + grid, cases.length, vocab, grid);
      const params = new Uint32Array(cases.length * 8);
      const maskRows = new Uint32Array(cases.length * sampleMaskWords(vocab));
      cases.forEach((c, i) => {
        encodeSampleParams(params, i, i, vocab, c.draw);
        encodeSampleMask(maskRows, i, vocab, c.draw);
      });
      const results = emptyBuffer(device, cases.length * 42 * 4);
      const biasWords = encodeSampleBias(
        cases.map((c) => c.draw),
        vocab,
      );
      const biasBuffer = upload(device, biasWords);
      const logitsBuffer = upload(device, rows);
      const dims = {
        rows: 1,
        logitRows: cases.length,
        sampled: cases.length,
        attnChunks: 1,
        attnChunkLen: 64,
      };
      const op = createSample(
        device,
        {
          pass: passBuffer(device, dims),
          logits: logitsBuffer,
          params: upload(device, params),
          results,
          masks: upload(device, maskRows),
          bias: biasBuffer,
          saved: emptyBuffer(device, Math.max(16, biasWords.length * 2)),
        },
        { serial: kind === 'serial', subgroups },
      );
      const rec = new Recorder(device, newCounters());
      op.encode(rec, dims);
      rec.submit();
      const mapped = await readBuffer(device, results, cases.length * 42 * 4);
      // The additions were put back: the logits are the raw ones again.
      expect(new Float32Array(await readBuffer(device, logitsBuffer, rows.byteLength))).toEqual(rows);
      cases.forEach(({ name, draw }, i) => {
        const words = new Uint32Array(mapped, i * 42 * 4, 42);
        const floats = new Float32Array(mapped, i * 42 * 4, 42);
        const expected = sampleReference(rows.subarray(i * vocab, (i + 1) * vocab), draw);
        const label = `${name} at uniform ${draw.uniform}`;
        expect(words[0], label).toBe(expected.token);
        if (draw.logprob) expect(floats[1], label).toBeCloseTo(expected.logprob, 4);
        else expect(words[1], `${label}: logprob skipped`).toBe(0);
        expected.top.forEach((entry, j) => {
          expect(words[2 + 2 * j], `${label}: top ${j}`).toBe(entry.id);
          expect(floats[3 + 2 * j], `${label}: top ${j}`).toBeCloseTo(entry.logprob, 4);
        });
      });
    },
  );
});
