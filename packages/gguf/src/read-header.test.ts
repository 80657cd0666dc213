import { memoryModelSource } from '@cinder/model-format';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-writer.ts';
import { encodeGgufHeader } from './gguf-header-writer.ts';
import { GGUF_MAGIC, type GgufKv } from './gguf-types.ts';
import { readGgufHeader } from './read-header.ts';
import { readGgufTensor } from './read-tensor.ts';

const METADATA = new Map<string, GgufKv>([
  ['general.architecture', { type: 'string', value: 'llama' }],
  ['u8', { type: 'uint8', value: 255 }],
  ['i8', { type: 'int8', value: -128 }],
  ['u16', { type: 'uint16', value: 65535 }],
  ['i16', { type: 'int16', value: -32768 }],
  ['u32', { type: 'uint32', value: 4294967295 }],
  ['i32', { type: 'int32', value: -2147483648 }],
  ['f32', { type: 'float32', value: 0.5 }],
  ['f64', { type: 'float64', value: Math.PI }],
  ['bool', { type: 'bool', value: true }],
  ['u64', { type: 'uint64', value: 2n ** 63n }],
  ['i64', { type: 'int64', value: -5 }],
  ['unicode', { type: 'string', value: 'Ġhello ▁ 日本 🦙' }],
  ['strings', { type: 'array', itemType: 'string', value: ['a', '', 'ccc'] }],
  ['ints', { type: 'array', itemType: 'int32', value: [1, -2, 3] }],
]);

/** A tiny GGUF: METADATA plus two F32 tensors. */
function tinyGguf(): Uint8Array {
  const a = new Float32Array([1, 2, 3, 4, 5, 6]);
  const b = new Float32Array([7]);
  const tensors = [
    { name: 'a', dims: [3, 2], type: 'F32' as const, byteLength: 24 },
    { name: 'b', dims: [1], type: 'F32' as const, byteLength: 4 },
  ];
  const { bytes: header, offsets, fileBytes } = encodeGgufHeader(METADATA, tensors);
  const file = new Uint8Array(fileBytes);
  file.set(header);
  file.set(new Uint8Array(a.buffer), header.length + offsets[0]);
  file.set(new Uint8Array(b.buffer), header.length + offsets[1]);
  return file;
}

describe('readGgufHeader', () => {
  it('reads every metadata value type and the tensor infos', async () => {
    const header = await readGgufHeader(tinyGguf());
    expect(header.version).toBe(3);
    expect(header.metadata.get('u64')).toEqual({ type: 'uint64', value: 2n ** 63n });
    for (const [key, kv] of METADATA) expect(header.metadata.get(key), key).toEqual(kv);
    expect(header.tensors.map((t) => [t.name, t.dims, t.type, t.offset - header.dataOffset])).toEqual([
      ['a', [3, 2], 'F32', 0],
      ['b', [1], 'F32', 32],
    ]);
  });

  it('reads arrays of arrays, and sizes tensors of types it cannot dequantize', async () => {
    const out = new ByteWriter();
    out.u32(GGUF_MAGIC);
    out.u32(3);
    out.u64(1); // tensors
    out.u64(1); // metadata entries
    out.string('nested');
    out.u32(9); // array
    out.u32(9); // of arrays
    out.u64(2);
    for (const inner of [[1, 2], [3]]) {
      out.u32(5); // of int32
      out.u64(inner.length);
      for (const value of inner) out.i32(value);
    }
    out.string('k');
    out.u32(1);
    out.u64(512);
    out.u32(12); // Q4_K
    out.u64(0);
    out.pad(32);
    out.raw(new Uint8Array(288));
    const bytes = out.finish();
    const header = await readGgufHeader(bytes);
    expect(header.metadata.get('nested')).toEqual({ type: 'array', itemType: 'array', value: [[1, 2], [3]] });
    expect(header.tensors[0]).toMatchObject({ typeName: 'Q4_K', type: null, byteLength: 288 });
    await expect(readGgufTensor(bytes, header, 'k')).rejects.toThrow(/Q4_K; only F32/);
  });

  it('reads from a Blob and from a ModelSource file, ranged or not', async () => {
    const bytes = tinyGguf();
    const source = memoryModelSource('m', { 'm.gguf': bytes });
    const ignoresRange = { id: 'm', file: async () => new Response(bytes.slice()) };
    for (const input of [
      new Blob([bytes.slice()]),
      { source, file: 'm.gguf' },
      { source: ignoresRange, file: 'x' },
    ]) {
      const header = await readGgufHeader(input);
      expect([...(await readGgufTensor(input, header, 'a'))]).toEqual([1, 2, 3, 4, 5, 6]);
      expect([...(await readGgufTensor(input, header, 'b'))]).toEqual([7]);
    }
  });

  it('reads only the header, in bounded ranges', async () => {
    const bytes = new Uint8Array(5_000_000);
    bytes.set(tinyGguf());
    const ranges: [number, number][] = [];
    const source = memoryModelSource('m', { 'm.gguf': bytes });
    const counted = {
      id: 'm',
      file: (name: string, options?: { range?: [number, number] }) => {
        if (options?.range) ranges.push(options.range);
        return source.file(name, options);
      },
    };
    await readGgufHeader({ source: counted, file: 'm.gguf' });
    expect(ranges).toEqual([[0, 65536]]);
  });

  it('names bad and truncated files', async () => {
    await expect(readGgufHeader(new TextEncoder().encode('GGML'.padEnd(64)))).rejects.toThrow(
      /not a GGUF file/,
    );
    await expect(readGgufHeader(tinyGguf().subarray(0, 100))).rejects.toThrow(/ends at byte 100/);
    const source = memoryModelSource('m', {});
    await expect(readGgufHeader({ source, file: 'missing.gguf' })).rejects.toThrow(/has no missing.gguf/);
  });
});
