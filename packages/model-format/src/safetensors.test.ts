import { describe, expect, it } from 'vitest';
import { ModelFormatError } from './errors.ts';
import { f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from './half-float.ts';
import { memoryModelSource } from './memory-source.ts';
import type { ModelSource } from './model-source.ts';
import { openSafetensors } from './safetensors.ts';
import { writeSafetensors } from './safetensors-write.ts';

const special = new Float32Array([
  0,
  -0,
  1,
  -2.5,
  0.1,
  65504,
  1e-7,
  2 ** -24,
  NaN,
  Infinity,
  -Infinity,
  3e38,
]);

/** A file with a hand-written header, for shapes writeSafetensors refuses to produce. */
function rawFile(header: unknown, dataBytes = 0): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const file = new Uint8Array(8 + json.length + dataBytes);
  new DataView(file.buffer).setUint32(0, json.length, true);
  file.set(json, 8);
  return file;
}

describe('writeSafetensors + openSafetensors', () => {
  it('writes the documented layout', () => {
    const file = writeSafetensors(
      { a: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } },
      { format: 'pt' },
    );
    const headerLength = Number(new DataView(file.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + headerLength)));
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
    });
    expect([...new Float32Array(file.slice(8 + headerLength).buffer)]).toEqual([1, 2]);
  });

  it('round-trips F32 exactly', async () => {
    const bytes = writeSafetensors({ w: { dtype: 'F32', shape: [3, 4], data: special } }, { format: 'pt' });
    const store = await openSafetensors(memoryModelSource('m', { 'model.safetensors': bytes }));
    expect(store.names).toEqual(['w']);
    expect(store.metadata).toEqual({ format: 'pt' });
    expect(store.info('w')).toMatchObject({
      dtype: 'F32',
      shape: [3, 4],
      byteLength: 48,
      file: 'model.safetensors',
    });
    expect([...(await store.readF32('w'))]).toEqual([...special]);
  });

  it.each([
    ['F16', (x: number) => f16BitsToF32(f32ToF16Bits(x))],
    ['BF16', (x: number) => new Float32Array(new Uint32Array([f32ToBf16Bits(x) << 16]).buffer)[0]],
  ] as const)('round-trips %s (rounded, NaN/Inf/subnormals kept)', async (dtype, round) => {
    const bytes = writeSafetensors({ w: { dtype, shape: [12], data: special } });
    const store = await openSafetensors(memoryModelSource('m', { 'model.safetensors': bytes }));
    expect(store.info('w').byteLength).toBe(24);
    const values = [...(await store.readF32('w'))];
    expect(values).toEqual([...special].map(round));
    expect(values.slice(8, 11)).toEqual([NaN, Infinity, -Infinity]);
    expect(Object.is(values[1], -0)).toBe(true);
    if (dtype === 'F16') expect(values[7]).toBe(2 ** -24); // smallest subnormal survives
    if (dtype === 'F16') expect(values[11]).toBe(Infinity); // out of range
  });

  it('keeps several tensors of mixed dtypes apart', async () => {
    const bytes = writeSafetensors({
      a: { dtype: 'BF16', shape: [1, 3], data: new Float32Array([1, 2, 3]) },
      b: { dtype: 'F32', shape: [], data: new Float32Array([7]) },
      c: { dtype: 'F16', shape: [2], data: new Float32Array([-1, 0.5]) },
    });
    const store = await openSafetensors(memoryModelSource('m', { 'model.safetensors': bytes }));
    expect(store.names).toEqual(['a', 'b', 'c']);
    expect([...(await store.readF32('a', { shape: [1, 3] }))]).toEqual([1, 2, 3]);
    expect([...(await store.readF32('b'))]).toEqual([7]);
    expect([...(await store.readF32('c'))]).toEqual([-1, 0.5]);
  });

  it('refuses data that does not match the shape', () => {
    expect(() => writeSafetensors({ a: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } })).toThrow(
      /needs 4 values, got 3/,
    );
  });
});

describe('sharded checkpoints', () => {
  const shard1 = writeSafetensors({
    'x.weight': { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) },
  });
  const shard2 = writeSafetensors({ 'y.weight': { dtype: 'BF16', shape: [1], data: new Float32Array([3]) } });
  const index = {
    metadata: { total_size: 10 },
    weight_map: {
      'x.weight': 'model-00001-of-00002.safetensors',
      'y.weight': 'model-00002-of-00002.safetensors',
    },
  };

  it('opens every shard named by the index', async () => {
    const source = memoryModelSource('m', {
      'model.safetensors.index.json': JSON.stringify(index),
      'model-00001-of-00002.safetensors': shard1,
      'model-00002-of-00002.safetensors': shard2,
    });
    const store = await openSafetensors(source);
    expect(store.files).toEqual(['model-00001-of-00002.safetensors', 'model-00002-of-00002.safetensors']);
    expect(store.names).toEqual(['x.weight', 'y.weight']);
    expect(store.info('y.weight').file).toBe('model-00002-of-00002.safetensors');
    expect([...(await store.readF32('x.weight'))]).toEqual([1, 2]);
    expect([...(await store.readF32('y.weight'))]).toEqual([3]);
  });

  it('fails on a missing shard or a tensor the shard lacks', async () => {
    const missing = memoryModelSource('m', {
      'model.safetensors.index.json': JSON.stringify(index),
      'model-00001-of-00002.safetensors': shard1,
    });
    await expect(openSafetensors(missing)).rejects.toThrow(/lacks shard model-00002-of-00002.safetensors/);
    const wrong = memoryModelSource('m', {
      'model.safetensors.index.json': JSON.stringify({ weight_map: { 'y.weight': 'a.safetensors' } }),
      'a.safetensors': shard1,
    });
    await expect(openSafetensors(wrong)).rejects.toThrow(/puts tensor y.weight in a.safetensors/);
  });

  it('fails when there are no weights at all', async () => {
    await expect(openSafetensors(memoryModelSource('empty', {}))).rejects.toThrow(
      'Model empty has neither model.safetensors nor model.safetensors.index.json',
    );
  });
});

describe('errors', () => {
  const open = (file: Uint8Array) => openSafetensors(memoryModelSource('m', { 'model.safetensors': file }));

  it('names a missing tensor, a wrong shape and an unsupported dtype', async () => {
    const file = rawFile({ ids: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8);
    const store = await open(file);
    expect(store.has('nope')).toBe(false);
    expect(() => store.info('nope')).toThrow(new ModelFormatError('Model m has no tensor nope'));
    await expect(store.readF32('nope')).rejects.toThrow(ModelFormatError);
    await expect(store.readF32('ids')).rejects.toThrow(/ids has dtype I64; only F32, F16 and BF16/);
    await expect(store.readBytes('ids', { shape: [2] })).rejects.toThrow(
      'Tensor ids has shape [1], expected [2]',
    );
    expect((await store.readBytes('ids')).length).toBe(8);
  });

  it('rejects malformed headers', async () => {
    await expect(open(rawFile({ a: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, 8))).rejects.toThrow(
      /shape \[3\] of F32 needs 12 bytes but data_offsets span 8/,
    );
    await expect(open(rawFile({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 0] } }))).rejects.toThrow(
      /not a list of sizes/,
    );
    await expect(open(rawFile({ a: { shape: [1], data_offsets: [0, 4] } }, 4))).rejects.toThrow(
      /missing dtype/,
    );
    await expect(open(rawFile({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 0] } }))).rejects.toThrow(
      /bad data_offsets/,
    );
    await expect(open(rawFile([1, 2]))).rejects.toThrow(/not a JSON object/);
    const garbage = rawFile({});
    garbage.set(new TextEncoder().encode('{'), 9);
    await expect(open(garbage)).rejects.toThrow(/not valid JSON/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setUint32(4, 1, true);
    await expect(open(huge)).rejects.toThrow(/not a safetensors file/);
  });

  it('reports a truncated file when reading', async () => {
    const whole = writeSafetensors({ a: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    const store = await open(whole.slice(0, whole.length - 4));
    await expect(store.readF32('a')).rejects.toThrow(/truncated/);
  });
});

it('copes with a server that ignores Range', async () => {
  const file = writeSafetensors({
    a: { dtype: 'F32', shape: [2], data: new Float32Array([5, 6]) },
    b: { dtype: 'F16', shape: [1], data: new Float32Array([0.5]) },
  });
  const source: ModelSource = {
    id: 'no-range',
    async file(name) {
      return name === 'model.safetensors' ? new Response(file.slice()) : null;
    },
  };
  const store = await openSafetensors(source);
  expect([...(await store.readF32('a'))]).toEqual([5, 6]);
  expect([...(await store.readF32('b'))]).toEqual([0.5]);
});
