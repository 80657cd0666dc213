import { embedding, mulberry32 } from '@cinder/runtime-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../gpu/device.ts';
import { newCounters, Recorder } from '../gpu/recorder.ts';
import { emptyBuffer, passBuffer, randomValues, readF32, testContext, upload } from '../testing/gpu.ts';
import { decodeRows, encodeRows } from '../weights/encode.ts';
import { rowWords, WEIGHT_DTYPES } from '../weights/format.ts';
import { createMatrix, writeMatrixRows } from '../weights/gpu-matrix.ts';
import { createEmbedding } from './embedding.ts';

let context: GpuContext;
beforeAll(async () => {
  context = await testContext();
});

describe.each(WEIGHT_DTYPES)('embedding (%s)', (dtype) => {
  it('gathers token rows like the CPU twin, across table chunks', async () => {
    const { device } = context;
    const [vocab, hidden] = [37, 64];
    const values = randomValues(mulberry32(3), vocab * hidden);
    const expectedTable = decodeRows(dtype, encodeRows(dtype, values, hidden), hidden);
    // A binding limit of ~10 rows splits the table into 4 chunks.
    const table = createMatrix(device, 'embed', dtype, vocab, hidden, 10 * rowWords(dtype, hidden) * 4);
    expect(table.chunks.length).toBeGreaterThan(1);
    writeMatrixRows(device, table, 0, values);
    const tokens = [0, 36, 5, 10, 11, 20, 5];
    const x = emptyBuffer(device, tokens.length * hidden * 4);
    const pass = passBuffer(device, { rows: tokens.length });
    const op = createEmbedding(device, { pass, tokens: upload(device, new Uint32Array(tokens)), table, x });
    const rec = new Recorder(device, newCounters());
    op.encode(rec, { rows: tokens.length, logitRows: 0, sampled: 0, attnChunks: 1, attnChunkLen: 64 });
    rec.submit();
    const actual = await readF32(device, x, tokens.length * hidden);
    const expected = new Float32Array(tokens.length * hidden);
    tokens.forEach((token, t) => {
      embedding(expected.subarray(t * hidden, (t + 1) * hidden), expectedTable, token, hidden);
    });
    expect([...actual]).toEqual([...expected]);
  });
});
