/**
 * Serializes a GGUF v3 header whose tensors keep the offsets they have in an existing file, so the
 * original tensor data can follow it unchanged (whatever the tensor types, K-quants included).
 */
import type { GgufKv, GgufValue, GgufValueType } from '@cinder/gguf';

const VALUE_TYPE_IDS: Record<GgufValueType, number> = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
};

export interface TensorAtOffset {
  readonly name: string;
  /** ggml order (`dims[0]` innermost). */
  readonly dims: readonly number[];
  readonly typeId: number;
  /** Offset from the start of the data section. */
  readonly offset: number;
}

const utf8 = new TextEncoder();

/** Header bytes (magic ... tensor infos), zero-padded to `alignment`. */
export function encodeHeader(
  metadata: ReadonlyMap<string, GgufKv>,
  tensors: readonly TensorAtOffset[],
  alignment: number,
): Uint8Array {
  const out = new Writer();
  out.u32(0x46554747); // "GGUF"
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.size);
  for (const [key, kv] of metadata) {
    out.string(key);
    out.u32(VALUE_TYPE_IDS[kv.type]);
    if (kv.type === 'array') out.array(kv.itemType, kv.value);
    else out.value(kv.type, kv.value);
  }
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(tensor.typeId);
    out.u64(tensor.offset);
  }
  out.reserve((alignment - (out.length % alignment)) % alignment);
  return out.bytes.subarray(0, out.length);
}

class Writer {
  bytes = new Uint8Array(1 << 16);
  view = new DataView(this.bytes.buffer);
  length = 0;

  /** Room for `n` more (zeroed) bytes; returns where they start. Replaces `bytes` and `view` when it grows: read them after. */
  reserve(n: number): number {
    const at = this.length;
    if (at + n > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, at + n));
      grown.set(this.bytes.subarray(0, at));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length += n;
    return at;
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  u64(v: number | bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
  }
  string(s: string): void {
    const encoded = utf8.encode(s);
    this.u64(encoded.length);
    const at = this.reserve(encoded.length);
    this.bytes.set(encoded, at);
  }
  array(itemType: GgufValueType, items: readonly GgufValue[]): void {
    this.u32(VALUE_TYPE_IDS[itemType]);
    this.u64(items.length);
    for (const item of items) {
      if (itemType === 'array') {
        const inner = item as readonly GgufValue[];
        // Nested arrays carry their own item type; gguf-py writes the first item's.
        this.array(nestedItemType(inner), inner);
      } else this.value(itemType, item);
    }
  }
  value(type: GgufValueType, v: GgufValue): void {
    if (type === 'string') this.string(String(v));
    else if (type === 'array') throw new TypeError('array values are written by array()');
    else {
      const [size, set] = SCALAR_WRITERS[type];
      const at = this.reserve(size); // may replace this.view
      set(this.view, at, v);
    }
  }
}

type ScalarWriter = readonly [size: number, set: (view: DataView, at: number, v: GgufValue) => void];

const SCALAR_WRITERS: Record<Exclude<GgufValueType, 'string' | 'array'>, ScalarWriter> = {
  uint8: [1, (view, at, v) => view.setUint8(at, Number(v))],
  int8: [1, (view, at, v) => view.setInt8(at, Number(v))],
  uint16: [2, (view, at, v) => view.setUint16(at, Number(v), true)],
  int16: [2, (view, at, v) => view.setInt16(at, Number(v), true)],
  uint32: [4, (view, at, v) => view.setUint32(at, Number(v), true)],
  int32: [4, (view, at, v) => view.setInt32(at, Number(v), true)],
  float32: [4, (view, at, v) => view.setFloat32(at, Number(v), true)],
  bool: [1, (view, at, v) => view.setUint8(at, v ? 1 : 0)],
  uint64: [8, (view, at, v) => view.setBigUint64(at, BigInt(v as number | bigint), true)],
  int64: [8, (view, at, v) => view.setBigInt64(at, BigInt(v as number | bigint), true)],
  float64: [8, (view, at, v) => view.setFloat64(at, Number(v), true)],
};

function nestedItemType(items: readonly GgufValue[]): GgufValueType {
  const first = items[0];
  if (typeof first === 'string') return 'string';
  if (typeof first === 'boolean') return 'bool';
  if (typeof first === 'bigint') return 'int64';
  if (Array.isArray(first)) return 'array';
  return Number.isInteger(first) ? 'int32' : 'float32';
}
