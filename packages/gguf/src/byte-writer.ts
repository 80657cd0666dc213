/** A growable little-endian byte buffer for GGUF headers: primitives, strings and metadata values. */
import type { GgufKv, GgufValue, GgufValueType } from './gguf-types.ts';
import { GGUF_VALUE_TYPES } from './gguf-types.ts';

const utf8 = new TextEncoder();

export class ByteWriter {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  /** Room for `n` more bytes; returns where they start. May replace `bytes` and `view`: call before using them. */
  private reserve(n: number): number {
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

  u8(v: number): void {
    const at = this.reserve(1);
    this.view.setUint8(at, v);
  }
  i8(v: number): void {
    const at = this.reserve(1);
    this.view.setInt8(at, v);
  }
  u16(v: number): void {
    const at = this.reserve(2);
    this.view.setUint16(at, v, true);
  }
  i16(v: number): void {
    const at = this.reserve(2);
    this.view.setInt16(at, v, true);
  }
  u32(v: number): void {
    const at = this.reserve(4);
    this.view.setUint32(at, v, true);
  }
  i32(v: number): void {
    const at = this.reserve(4);
    this.view.setInt32(at, v, true);
  }
  f32(v: number): void {
    const at = this.reserve(4);
    this.view.setFloat32(at, v, true);
  }
  f64(v: number): void {
    const at = this.reserve(8);
    this.view.setFloat64(at, v, true);
  }
  u64(v: number | bigint): void {
    const at = this.reserve(8);
    this.view.setBigUint64(at, BigInt(v), true);
  }
  i64(v: number | bigint): void {
    const at = this.reserve(8);
    this.view.setBigInt64(at, BigInt(v), true);
  }
  raw(data: Uint8Array): void {
    const at = this.reserve(data.length);
    this.bytes.set(data, at);
  }
  /** A GGUF string: u64 byte length, then UTF-8 without a terminator. */
  string(s: string): void {
    const data = utf8.encode(s);
    this.u64(data.length);
    this.raw(data);
  }
  /** Zero bytes up to the next multiple of `alignment`. */
  pad(alignment: number): void {
    const rest = this.length % alignment;
    if (rest !== 0) this.reserve(alignment - rest); // new space is already zero
  }

  /** One metadata entry: key, value type, value. */
  kv(key: string, kv: GgufKv): void {
    this.string(key);
    this.u32(GGUF_VALUE_TYPES.indexOf(kv.type));
    if (kv.type === 'array') this.array(kv.itemType, kv.value, key);
    else this.value(kv.type, kv.value, key);
  }

  /** An array value: item type, count, items (nested arrays carry their own item type). */
  private array(itemType: GgufValueType, items: readonly GgufValue[], key: string): void {
    this.u32(GGUF_VALUE_TYPES.indexOf(itemType));
    this.u64(items.length);
    for (const item of items) {
      if (itemType === 'array' && Array.isArray(item)) this.array(nestedItemType(item), item, key);
      else this.value(itemType, item, key);
    }
  }

  private value(type: GgufValueType, value: GgufValue, key: string): void {
    if (type === 'string' && typeof value === 'string') this.string(value);
    else if (type === 'bool' && typeof value === 'boolean') this.u8(value ? 1 : 0);
    else if (type === 'uint64' && (typeof value === 'number' || typeof value === 'bigint')) this.u64(value);
    else if (type === 'int64' && (typeof value === 'number' || typeof value === 'bigint')) this.i64(value);
    else if (type in NUMBER_WRITERS && typeof value === 'number')
      NUMBER_WRITERS[type as NumberType](this, value);
    else throw new TypeError(`GGUF metadata ${key}: ${JSON.stringify(String(value))} is not a ${type}`);
  }

  /** The bytes written so far (a copy sized exactly). */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

type NumberType = 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64';

const NUMBER_WRITERS: Record<NumberType, (out: ByteWriter, v: number) => void> = {
  uint8: (out, v) => out.u8(v),
  int8: (out, v) => out.i8(v),
  uint16: (out, v) => out.u16(v),
  int16: (out, v) => out.i16(v),
  uint32: (out, v) => out.u32(v),
  int32: (out, v) => out.i32(v),
  float32: (out, v) => out.f32(v),
  float64: (out, v) => out.f64(v),
};

/** A nested array's item type, from its first item (the reader keeps nested values, not their types; gguf-py writes the first item's). */
function nestedItemType(items: readonly GgufValue[]): GgufValueType {
  const first = items[0];
  if (typeof first === 'string') return 'string';
  if (typeof first === 'boolean') return 'bool';
  if (typeof first === 'bigint') return 'int64';
  if (Array.isArray(first)) return 'array';
  return Number.isInteger(first) ? 'int32' : 'float32';
}
