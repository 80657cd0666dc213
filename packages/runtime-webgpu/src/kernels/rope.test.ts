import { mulberry32, rmsnormHeads, rope } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { newCounters, Recorder } from '../gpu/recorder.ts';
import { fillRopeTable, ropeInvFreq } from '../rope-table.ts';
import { passBuffer, randomValues, readF32, testContext, toleranceRatio, upload } from '../testing/gpu.ts';
import { createModelDims, PAGE_SIZE } from './model-dims.ts';
import { createRope } from './rope.ts';

const [numHeads, numKvHeads, headDim, eps] = [4, 2, 16, 1e-6];
const [qDim, kvDim] = [numHeads * headDim, numKvHeads * headDim];
const qkvDim = qDim + 2 * kvDim;
const pageFloats = 2 * PAGE_SIZE * kvDim;

describe.each([false, true])('rope (q/k norm: %s)', (qkNorm) => {
  it('rotates q in place and stores rotated k and v at each row position, like the CPU twin', async () => {
    const { device } = await testContext();
    const random = mulberry32(qkNorm ? 2 : 1);
    // Sequence A uses pages [2, 0], sequence B page [1]. Rows: A@5, A@70, B@0.
    const pageTable = new Uint32Array([2, 0, 1]);
    const rows = [
      { pos: 5, table: 0 },
      { pos: 70, table: 0 },
      { pos: 0, table: 2 },
    ];
    const qkv = randomValues(random, rows.length * qkvDim, 2);
    const qNorm = randomValues(random, headDim).map((v) => 1 + 0.3 * v);
    const kNorm = randomValues(random, headDim).map((v) => 1 + 0.3 * v);
    const invFreq = ropeInvFreq(headDim, 10000, null);
    const table = new Float32Array(rows.length * headDim);
    fillRopeTable(
      table,
      invFreq,
      rows.map((r) => r.pos),
    );
    const qkvBuffer = upload(device, qkv);
    const cache = upload(device, new Float32Array(3 * pageFloats));
    const op = createRope(device, numHeads + numKvHeads, {
      pass: passBuffer(device, { rows: rows.length }),
      modelDims: createModelDims(device, { numHeads, numKvHeads, headDim, rmsNormEps: eps }),
      qkv: qkvBuffer,
      ropeTable: upload(device, table),
      rowInfo: upload(device, new Uint32Array(rows.flatMap((r) => [r.pos, r.table]))),
      pageTable: upload(device, pageTable),
      cache,
      qNorm: qkNorm ? upload(device, qNorm) : undefined,
      kNorm: qkNorm ? upload(device, kNorm) : undefined,
    });
    const rec = new Recorder(device, newCounters());
    op.encode(rec, { rows: rows.length, logitRows: 0, sampled: 0, attnChunks: 1, attnChunkLen: 64 });
    rec.submit();
    const actualQkv = await readF32(device, qkvBuffer, qkv.length);
    const actualCache = await readF32(device, cache, 3 * pageFloats);

    const half = headDim / 2;
    rows.forEach(({ pos, table: tableStart }, t) => {
      const q = qkv.slice(t * qkvDim, t * qkvDim + qDim);
      const k = qkv.slice(t * qkvDim + qDim, t * qkvDim + qDim + kvDim);
      const v = qkv.slice(t * qkvDim + qDim + kvDim, (t + 1) * qkvDim);
      if (qkNorm) {
        rmsnormHeads(q, qNorm, numHeads, eps);
        rmsnormHeads(k, kNorm, numKvHeads, eps);
      }
      const cos = table.subarray(t * headDim, (t + 1) * headDim).filter((_, i) => i % 2 === 0);
      const sin = table.subarray(t * headDim, (t + 1) * headDim).filter((_, i) => i % 2 === 1);
      expect(cos.length).toBe(half);
      rope(q, numHeads, headDim, cos, sin);
      rope(k, numKvHeads, headDim, cos, sin);
      const page = pageTable[tableStart + Math.floor(pos / PAGE_SIZE)];
      const kAt = (page * 2 * PAGE_SIZE + (pos % PAGE_SIZE)) * kvDim;
      const vAt = kAt + PAGE_SIZE * kvDim;
      const got = {
        q: actualQkv.subarray(t * qkvDim, t * qkvDim + qDim),
        k: actualCache.subarray(kAt, kAt + kvDim),
        v: actualCache.subarray(vAt, vAt + kvDim),
      };
      expect(toleranceRatio(got.q, q, 1e-6, 1e-5).ratio).toBeLessThanOrEqual(1);
      expect(toleranceRatio(got.k, k, 1e-6, 1e-5).ratio).toBeLessThanOrEqual(1);
      expect([...got.v]).toEqual([...v]);
    });
  });
});
