/** Builds GGUF metadata in insertion order with the value types llama.cpp expects per key. */
import type { GgufKv } from './gguf-types.ts';

export class MetadataBuilder {
  readonly entries = new Map<string, GgufKv>();

  u32(key: string, value: number): this {
    return this.set(key, { type: 'uint32', value });
  }
  f32(key: string, value: number): this {
    return this.set(key, { type: 'float32', value });
  }
  bool(key: string, value: boolean): this {
    return this.set(key, { type: 'bool', value });
  }
  string(key: string, value: string): this {
    return this.set(key, { type: 'string', value });
  }
  strings(key: string, value: readonly string[]): this {
    return this.set(key, { type: 'array', itemType: 'string', value });
  }
  i32s(key: string, value: readonly number[]): this {
    return this.set(key, { type: 'array', itemType: 'int32', value });
  }
  set(key: string, kv: GgufKv): this {
    this.entries.set(key, kv);
    return this;
  }
}
