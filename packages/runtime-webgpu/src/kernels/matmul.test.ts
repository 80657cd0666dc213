import { matmulNaive, mulberry32, residual, rmsnorm, swiglu } from '@cinder/runtime-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GpuContext } from '../gpu/device.ts';
import { newCounters, Recorder } from '../gpu/recorder.ts';
import { passBuffer, randomValues, readF32, testContext, toleranceRatio, upload } from '../testing/gpu.ts';
import { decodeRows, encodeRows } from '../weights/encode.ts';
import { rowWords, WEIGHT_DTYPES, type WeightDtype } from '../weights/format.ts';
import { createMatrix, writeMatrixRows } from '../weights/gpu-matrix.ts';
import { createMatmul } from './matmul.ts';
import type { MatmulEpilogue } from './matmul-parts.wgsl.ts';

let context: GpuContext;
beforeAll(async () => {
  context = await testContext();
});

type Kernels = 'gpu' | 'subgroups' | 'serial';

interface Case {
  readonly epilogue: MatmulEpilogue;
  readonly norm: boolean;
  readonly bias: boolean;
}

const cases: Case[] = [
  { epilogue: 'store', norm: false, bias: false },
  { epilogue: 'store', norm: true, bias: true },
  { epilogue: 'residual', norm: false, bias: false },
  { epilogue: 'swiglu', norm: true, bias: false },
];

/** The CPU twin: rmsnorm -> matmul (+ bias) -> store / residual / swiglu, on dequantized weights. */
function twin(
  c: Case,
  x: Float32Array,
  rows: number,
  k: number,
  n: number,
  w: Float32Array,
  u: Float32Array,
  normW: Float32Array,
  bias: Float32Array,
  before: Float32Array,
): Float32Array {
  const out = before.slice();
  const xb = new Float32Array(k);
  const y = new Float32Array(n);
  const yUp = new Float32Array(n);
  for (let b = 0; b < rows; b++) {
    const row = x.subarray(b * k, (b + 1) * k);
    if (c.norm) rmsnorm(xb, row, normW, 1e-5);
    else xb.set(row);
    matmulNaive(y, xb, w, k, n, c.bias ? bias : null);
    const target = out.subarray(b * n, (b + 1) * n);
    if (c.epilogue === 'store') target.set(y);
    if (c.epilogue === 'residual') residual(target, y);
    if (c.epilogue === 'swiglu') {
      matmulNaive(yUp, xb, u, k, n);
      swiglu(target, y, yUp);
    }
  }
  return out;
}

async function run(
  dtype: WeightDtype,
  c: Case,
  rows: number,
  k: number,
  n: number,
  split: boolean,
  kernels: Kernels,
) {
  const { device } = context;
  const random = mulberry32(rows * 1000 + k + n);
  const wValues = randomValues(random, n * k, 0.5);
  const uValues = randomValues(random, n * k, 0.5);
  const x = randomValues(random, rows * k, 2);
  const normW = randomValues(random, k).map((v) => 1 + 0.2 * v);
  const bias = randomValues(random, n);
  const before = randomValues(random, rows * n);
  const limit = split ? 7 * rowWords(dtype, k) * 4 : 1 << 30;
  const weight = createMatrix(device, 'w', dtype, n, k, limit);
  const up = createMatrix(device, 'u', dtype, n, k, limit);
  writeMatrixRows(device, weight, 0, wValues);
  writeMatrixRows(device, up, 0, uValues);
  const out = upload(device, before);
  const op = createMatmul(
    device,
    { pass: passBuffer(device, { rows }), x: upload(device, x), weight, up, out },
    {
      epilogue: c.epilogue,
      norm: c.norm ? { weight: upload(device, normW), eps: 1e-5 } : undefined,
      bias: c.bias ? upload(device, bias) : undefined,
      serial: kernels === 'serial',
      // SwiftShader offers subgroups; without them the shared-memory kernel runs twice.
      subgroups: kernels === 'subgroups' && context.features.subgroups,
    },
  );
  const rec = new Recorder(device, newCounters());
  op.encode(rec, { rows, logitRows: 0, sampled: 0, attnChunks: 1, attnChunkLen: 64 });
  rec.submit();
  const actual = await readF32(device, out, rows * n);
  const dequant = (values: Float32Array) => decodeRows(dtype, encodeRows(dtype, values, k), k);
  const expected = twin(c, x, rows, k, n, dequant(wValues), dequant(uValues), normW, bias, before);
  return toleranceRatio(actual, expected, 1e-5, 1e-4);
}

// Every fused variant in f32; the other storage formats on the two kernels that use every binding.
const casesOf = (dtype: WeightDtype) => (dtype === 'f32' ? cases : [cases[1], cases[3]]);

describe.each(WEIGHT_DTYPES)('matmul (%s)', (dtype) => {
  it.each(casesOf(dtype))(
    'matvec (+ subgroups), tiled and serial kernels match the CPU twin: %o',
    async (c) => {
      for (const [rows, k, n, split] of [
        [1, 64, 40, false],
        [3, 96, 17, true],
        [8, 48, 33, false],
        [37, 160, 70, true],
        [9, 16, 5, false],
      ] as const) {
        for (const kernels of ['gpu', 'subgroups', 'serial'] as const) {
          const { ratio, maxAbsDiff } = await run(dtype, c, rows, k, n, split, kernels);
          const label = `${kernels} rows ${rows}, k ${k}, n ${n}: max diff ${maxAbsDiff}`;
          expect(ratio, label).toBeLessThanOrEqual(1);
        }
      }
    },
  );
});
