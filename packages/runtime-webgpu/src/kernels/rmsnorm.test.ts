import { mulberry32, rmsnorm } from '@cinder/runtime-cpu';
import { expect, it } from 'vitest';
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
import { createRmsnorm } from './rmsnorm.ts';

it('rmsnorm normalises the gathered rows like the CPU twin', async () => {
  const { device } = await testContext();
  const random = mulberry32(11);
  const [rows, hidden, eps] = [5, 96, 1e-5];
  const x = randomValues(random, rows * hidden, 3);
  const weight = randomValues(random, hidden).map((v) => 1 + 0.2 * v);
  const picked = [4, 0, 2];
  const out = emptyBuffer(device, picked.length * hidden * 4);
  const op = createRmsnorm(
    device,
    { hidden, eps },
    {
      pass: passBuffer(device, { rows, logitRows: picked.length }),
      x: upload(device, x),
      rowIndex: upload(device, new Uint32Array(picked)),
      weight: upload(device, weight),
      out,
    },
  );
  const rec = new Recorder(device, newCounters());
  op.encode(rec, { rows, logitRows: picked.length, sampled: 0, attnChunks: 1, attnChunkLen: 64 });
  rec.submit();
  const actual = await readF32(device, out, picked.length * hidden);
  const expected = new Float32Array(picked.length * hidden);
  picked.forEach((row, i) => {
    rmsnorm(expected.subarray(i * hidden, (i + 1) * hidden), x.subarray(row * hidden), weight, eps);
  });
  expect(toleranceRatio(actual, expected, 1e-6, 1e-5).ratio).toBeLessThanOrEqual(1);
});
