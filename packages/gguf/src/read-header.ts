/**
 * Parses a GGUF (v2 or v3) header: metadata of every value type (arrays included), tensor
 * infos, and where the tensor data starts. Only the header's bytes are read.
 */
import { ModelFormatError } from '@cinder/model-format';
import { ByteCursor } from './byte-cursor.ts';
import { byteInput, type GgufInput } from './byte-input.ts';
import {
  alignTo,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VALUE_TYPES,
  type GgmlTypeName,
  type GgufKv,
  type GgufValue,
  type GgufValueType,
  ggmlTypeLayout,
  ggmlTypeName,
} from './gguf-types.ts';

export interface GgufTensorInfo {
  readonly name: string;
  /** ggml order: `dims[0]` is the innermost (row length). */
  readonly dims: readonly number[];
  readonly elements: number;
  /** ggml_type number; its name (`Q4_K`, or `type<N>` when unknown); the type when this package dequantizes it. */
  readonly typeId: number;
  readonly typeName: string;
  readonly type: GgmlTypeName | null;
  /** Absolute offset in the file. */
  readonly offset: number;
  /** Null for types this package does not know. */
  readonly byteLength: number | null;
}

export interface GgufHeader {
  readonly version: number;
  readonly metadata: ReadonlyMap<string, GgufKv>;
  readonly tensors: readonly GgufTensorInfo[];
  readonly alignment: number;
  /** Absolute offset of the tensor data section. */
  readonly dataOffset: number;
}

/** Sanity bounds: beyond these the file is corrupt, not large. */
const MAX_ENTRIES = 1_000_000;
const MAX_DIMS = 4;

export async function readGgufHeader(
  input: GgufInput,
  options: { signal?: AbortSignal } = {},
): Promise<GgufHeader> {
  const bytes = byteInput(input);
  const cursor = new ByteCursor(bytes, options.signal);
  const fail = (what: string): never => {
    throw new ModelFormatError(`${bytes.name}: ${what}`);
  };

  await cursor.need(24);
  if (cursor.u32() !== GGUF_MAGIC) fail('not a GGUF file (bad magic)');
  const version = cursor.u32();
  if (version !== 2 && version !== 3) fail(`GGUF version ${version} is not supported (2 or 3)`);
  const tensorCount = cursor.size('tensor count');
  const kvCount = cursor.size('metadata count');
  if (tensorCount > MAX_ENTRIES || kvCount > MAX_ENTRIES) fail(`${tensorCount} tensors / ${kvCount} keys`);

  const metadata = new Map<string, GgufKv>();
  for (let i = 0; i < kvCount; i++) {
    const key = await cursor.string('metadata key');
    await cursor.need(4);
    const type = valueType(cursor.u32(), key, fail);
    if (type === 'array') {
      await cursor.need(12);
      const itemType = valueType(cursor.u32(), key, fail);
      const count = cursor.size(`length of ${key}`);
      metadata.set(key, { type, itemType, value: await readItems(cursor, itemType, count, key, fail) });
    } else {
      metadata.set(key, {
        type,
        value: (await readValue(cursor, type, key, fail)) as Exclude<GgufValue, readonly GgufValue[]>,
      });
    }
  }

  const alignmentValue = metadata.get('general.alignment')?.value ?? GGUF_DEFAULT_ALIGNMENT;
  const alignment =
    typeof alignmentValue === 'number' && alignmentValue > 0 ? alignmentValue : fail('bad general.alignment');

  const infos: Omit<GgufTensorInfo, 'offset'>[] = [];
  const relative: number[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = await cursor.string('tensor name');
    await cursor.need(4);
    const nDims = cursor.u32();
    if (nDims > MAX_DIMS) fail(`tensor ${name} has ${nDims} dimensions`);
    await cursor.need(8 * nDims + 12);
    const dims = Array.from({ length: nDims }, () => cursor.size(`dimension of ${name}`));
    const typeId = cursor.u32();
    relative.push(cursor.size(`offset of ${name}`));
    const layout = ggmlTypeLayout(typeId);
    const elements = dims.reduce((a, b) => a * b, 1);
    const byteLength = layout === null ? null : Math.ceil(elements / layout.blockSize) * layout.blockBytes;
    const typeName = layout?.name ?? `type${typeId}`;
    infos.push({ name, dims, elements, typeId, typeName, type: ggmlTypeName(typeId), byteLength });
  }
  const dataOffset = alignTo(cursor.position, alignment);
  const tensors = infos.map((info, i) => ({ ...info, offset: dataOffset + relative[i] }));
  return { version, metadata, tensors, alignment, dataOffset };
}

function valueType(id: number, key: string, fail: (what: string) => never): GgufValueType {
  return GGUF_VALUE_TYPES[id] ?? fail(`metadata ${key} has unknown value type ${id}`);
}

async function readValue(
  cursor: ByteCursor,
  type: GgufValueType,
  key: string,
  fail: (what: string) => never,
): Promise<GgufValue> {
  switch (type) {
    case 'string':
      return cursor.string(key);
    case 'array': {
      await cursor.need(12);
      const itemType = valueType(cursor.u32(), key, fail);
      return readItems(cursor, itemType, cursor.size(`length of ${key}`), key, fail);
    }
    default:
      await cursor.need(SCALAR_BYTES[type]);
      return SCALAR_READERS[type](cursor);
  }
}

/** Array items; those already buffered are read without awaiting (vocabularies have 100k+ strings). */
async function readItems(
  cursor: ByteCursor,
  type: GgufValueType,
  count: number,
  key: string,
  fail: (what: string) => never,
): Promise<GgufValue[]> {
  const items: GgufValue[] = new Array(count);
  for (let j = 0; j < count; j++) {
    let item: GgufValue | null = null;
    if (type === 'string') item = cursor.bufferedString();
    else if (type !== 'array' && cursor.has(SCALAR_BYTES[type])) item = SCALAR_READERS[type](cursor);
    items[j] = item ?? (await readValue(cursor, type, key, fail));
  }
  return items;
}

type FixedType = Exclude<GgufValueType, 'string' | 'array'>;

const SCALAR_BYTES: Record<FixedType, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  bool: 1,
  uint64: 8,
  int64: 8,
  float64: 8,
};

const SCALAR_READERS: Record<FixedType, (c: ByteCursor) => GgufValue> = {
  uint8: (c) => c.u8(),
  int8: (c) => c.i8(),
  uint16: (c) => c.u16(),
  int16: (c) => c.i16(),
  uint32: (c) => c.u32(),
  int32: (c) => c.i32(),
  float32: (c) => c.f32(),
  bool: (c) => c.u8() !== 0,
  uint64: (c) => c.u64(),
  int64: (c) => c.i64(),
  float64: (c) => c.f64(),
};
