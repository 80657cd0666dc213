import { attention, mulberry32 } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { newCounters, Recorder } from '../gpu/recorder.ts';
import {
  emptyBuffer,
  passBuffer,
  randomValues,
  readF32,
  testContext,
  toleranceRatio,
  upload,
} from '../testing/gpu.ts';
import { createAttention } from './attention.ts';
import { createModelDims, PAGE_SIZE } from './model-dims.ts';

describe.each([
  { numHeads: 4, numKvHeads: 2, headDim: 16 },
  { numHeads: 3, numKvHeads: 1, headDim: 96 },
  { numHeads: 2, numKvHeads: 2, headDim: 256 },
])('attention %o', (shape) => {
  it.each([
    [1, 320, false],
    [3, 128, false],
    [6, 64, false],
    [1, 320, true],
    [3, 128, true],
  ])(
    'split into %i chunks of %i positions matches the CPU twin (serial: %s)',
    async (chunks, chunkLen, serial) => {
      const { device } = await testContext();
      const { numHeads, numKvHeads, headDim } = shape;
      const [qDim, kvDim] = [numHeads * headDim, numKvHeads * headDim];
      const qkvDim = qDim + 2 * kvDim;
      const random = mulberry32(chunks * 7 + headDim);
      // Sequence A: 300 positions on pages [4, 1, 0, 3, 5]; sequence B: 10 positions on page [2].
      const pageTable = new Uint32Array([4, 1, 0, 3, 5, 2]);
      const lengths = [300, 10];
      const cache = randomValues(random, 6 * 2 * PAGE_SIZE * kvDim, 1.5);
      const rows = [
        { seq: 0, pos: 299, table: 0 },
        { seq: 1, pos: 9, table: 5 },
        { seq: 0, pos: 64, table: 0 },
        { seq: 0, pos: 0, table: 0 },
      ];
      const qkv = randomValues(random, rows.length * qkvDim, 1.5);
      const out = emptyBuffer(device, rows.length * qDim * 4);
      const dims = {
        rows: rows.length,
        logitRows: 0,
        sampled: 0,
        attnChunks: chunks,
        attnChunkLen: chunkLen,
      };
      const op = createAttention(
        device,
        numHeads,
        {
          pass: passBuffer(device, dims),
          modelDims: createModelDims(device, { ...shape, rmsNormEps: 1e-6 }),
          qkv: upload(device, qkv),
          rowInfo: upload(device, new Uint32Array(rows.flatMap((r) => [r.pos, r.table]))),
          pageTable: upload(device, pageTable),
          cache: upload(device, cache),
          partials: emptyBuffer(device, rows.length * numHeads * chunks * (headDim + 2) * 4),
          out,
        },
        serial,
      );
      const rec = new Recorder(device, newCounters());
      op.encode(rec, dims);
      rec.submit();
      const actual = await readF32(device, out, rows.length * qDim);

      // The CPU twin reads contiguous keys / values: gather them from the pages.
      const gather = (seq: number, kind: 0 | 1) => {
        const first = seq === 0 ? 0 : 5;
        const rowsOut = new Float32Array(lengths[seq] * kvDim);
        for (let p = 0; p < lengths[seq]; p++) {
          const page = pageTable[first + Math.floor(p / PAGE_SIZE)];
          const at = ((page * 2 + kind) * PAGE_SIZE + (p % PAGE_SIZE)) * kvDim;
          rowsOut.set(cache.subarray(at, at + kvDim), p * kvDim);
        }
        return rowsOut;
      };
      rows.forEach(({ seq, pos }, t) => {
        const expected = new Float32Array(qDim);
        const q = qkv.subarray(t * qkvDim, t * qkvDim + qDim);
        attention(expected, q, gather(seq, 0), gather(seq, 1), pos + 1, shape, new Float32Array(pos + 1));
        const { ratio, maxAbsDiff } = toleranceRatio(
          actual.subarray(t * qDim, (t + 1) * qDim),
          expected,
          1e-5,
          1e-4,
        );
        expect(ratio, `row ${t}: max diff ${maxAbsDiff}`).toBeLessThanOrEqual(1);
      });
    },
  );
});
