/**
 * GGUF v3 format constants: the magic, metadata value types, ggml tensor types and the
 * `general.file_type` values, with the numbers ggml and gguf-py use.
 */

/** "GGUF" read as a little-endian u32. */
export const GGUF_MAGIC = 0x46554747;
export const GGUF_VERSION = 3;
/** `general.alignment` when a file does not state one; we always write 32. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** Metadata value types, by their on-disk number. */
export const GGUF_VALUE_TYPES = [
  'uint8',
  'int8',
  'uint16',
  'int16',
  'uint32',
  'int32',
  'float32',
  'bool',
  'string',
  'array',
  'uint64',
  'int64',
  'float64',
] as const;
export type GgufValueType = (typeof GGUF_VALUE_TYPES)[number];
export type GgufScalarType = Exclude<GgufValueType, 'array'>;

export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = GgufScalar | readonly GgufValue[];

/** One metadata entry. Arrays state the type of their items (`itemType`). */
export type GgufKv =
  | { readonly type: GgufScalarType; readonly value: GgufScalar }
  | { readonly type: 'array'; readonly itemType: GgufValueType; readonly value: readonly GgufValue[] };

/** Tensor types this package reads (and, all but BF16, writes). Numbers are ggml's `ggml_type`. */
export const GGML_TYPES = {
  F32: { id: 0, blockSize: 1, blockBytes: 4 },
  F16: { id: 1, blockSize: 1, blockBytes: 2 },
  Q4_0: { id: 2, blockSize: 32, blockBytes: 18 },
  Q8_0: { id: 8, blockSize: 32, blockBytes: 34 },
  BF16: { id: 30, blockSize: 1, blockBytes: 2 },
} as const;
export type GgmlTypeName = keyof typeof GGML_TYPES;

/**
 * Block layouts of other ggml types, by `ggml_type` number, so a header reader knows every tensor's
 * size (this package does not dequantize these).
 */
export const GGML_OTHER_TYPES: Readonly<
  Record<number, { name: string; blockSize: number; blockBytes: number }>
> = {
  3: { name: 'Q4_1', blockSize: 32, blockBytes: 20 },
  6: { name: 'Q5_0', blockSize: 32, blockBytes: 22 },
  7: { name: 'Q5_1', blockSize: 32, blockBytes: 24 },
  9: { name: 'Q8_1', blockSize: 32, blockBytes: 36 },
  10: { name: 'Q2_K', blockSize: 256, blockBytes: 84 },
  11: { name: 'Q3_K', blockSize: 256, blockBytes: 110 },
  12: { name: 'Q4_K', blockSize: 256, blockBytes: 144 },
  13: { name: 'Q5_K', blockSize: 256, blockBytes: 176 },
  14: { name: 'Q6_K', blockSize: 256, blockBytes: 210 },
  15: { name: 'Q8_K', blockSize: 256, blockBytes: 292 },
  20: { name: 'IQ4_NL', blockSize: 32, blockBytes: 18 },
  23: { name: 'IQ4_XS', blockSize: 256, blockBytes: 136 },
  24: { name: 'I8', blockSize: 1, blockBytes: 1 },
  25: { name: 'I16', blockSize: 1, blockBytes: 2 },
  26: { name: 'I32', blockSize: 1, blockBytes: 4 },
  27: { name: 'I64', blockSize: 1, blockBytes: 8 },
  28: { name: 'F64', blockSize: 1, blockBytes: 8 },
};

/** Block layout and name of any ggml type this package knows, by number. */
export function ggmlTypeLayout(id: number): { name: string; blockSize: number; blockBytes: number } | null {
  const name = ggmlTypeName(id);
  return name ? { name, ...GGML_TYPES[name] } : (GGML_OTHER_TYPES[id] ?? null);
}

export function ggmlTypeName(id: number): GgmlTypeName | null {
  for (const [name, info] of Object.entries(GGML_TYPES)) if (info.id === id) return name as GgmlTypeName;
  return null;
}

/** Bytes of a tensor with `elements` values of `type` (elements must be whole blocks). */
export function ggmlByteLength(type: GgmlTypeName, elements: number): number {
  const { blockSize, blockBytes } = GGML_TYPES[type];
  if (elements % blockSize !== 0) {
    throw new RangeError(`${type} stores blocks of ${blockSize} values; ${elements} is not a multiple`);
  }
  return (elements / blockSize) * blockBytes;
}

/** `general.file_type` (llama.cpp's `llama_ftype`) for each whole-file type we write. */
export const GGUF_FILE_TYPES = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 } as const;
export type GgufFileType = keyof typeof GGUF_FILE_TYPES;

/** `tokenizer.ggml.token_type` values (llama.cpp's `llama_token_type`). */
export const TOKEN_TYPE = {
  NORMAL: 1,
  UNKNOWN: 2,
  CONTROL: 3,
  USER_DEFINED: 4,
  UNUSED: 5,
  BYTE: 6,
} as const;

/** Rounds `offset` up to a multiple of `alignment`. */
export function alignTo(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}
