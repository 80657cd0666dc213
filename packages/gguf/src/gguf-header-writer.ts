/**
 * Serializes the GGUF v3 header: magic, version, counts, metadata entries, tensor infos, then
 * zero padding to the alignment. Tensor data follows, each tensor at an aligned offset from the
 * start of the data section and padded to the alignment.
 */
import { ByteWriter } from './byte-writer.ts';
import {
  alignTo,
  GGML_TYPES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  type GgmlTypeName,
  type GgufKv,
} from './gguf-types.ts';

/** A tensor to write: its GGUF name, dims in ggml order (`ne[0]` = innermost), type and size. */
export interface GgufTensorLayout {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: GgmlTypeName;
  readonly byteLength: number;
}

export interface EncodedHeader {
  readonly bytes: Uint8Array;
  /** Offset of each tensor in the data section (same order as given). */
  readonly offsets: readonly number[];
  /** Header + data, padded: the size of the whole file. */
  readonly fileBytes: number;
}

export function encodeGgufHeader(
  metadata: ReadonlyMap<string, GgufKv>,
  tensors: readonly GgufTensorLayout[],
): EncodedHeader {
  const alignment = alignmentOf(metadata);
  const offsets: number[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    offsets.push(offset);
    offset = alignTo(offset + tensor.byteLength, alignment);
  }
  const bytes = encodeGgufHeaderAt(
    metadata,
    tensors.map((tensor, i) => ({ ...tensor, typeId: GGML_TYPES[tensor.type].id, offset: offsets[i] })),
    alignment,
  );
  return { bytes, offsets, fileBytes: bytes.length + offset };
}

/** A tensor info as it stands in a header: its type by ggml id (any type, K-quants included) and its offset. */
export interface GgufTensorAt {
  readonly name: string;
  /** ggml order (`dims[0]` innermost). */
  readonly dims: readonly number[];
  readonly typeId: number;
  /** Offset from the start of the data section. */
  readonly offset: number;
}

/**
 * Header bytes (magic … tensor infos, zero-padded to `alignment`) for tensors at given offsets: a new
 * header in front of an existing file's unchanged tensor data.
 */
export function encodeGgufHeaderAt(
  metadata: ReadonlyMap<string, GgufKv>,
  tensors: readonly GgufTensorAt[],
  alignment: number,
): Uint8Array {
  const out = new ByteWriter();
  out.u32(GGUF_MAGIC);
  out.u32(GGUF_VERSION);
  out.u64(tensors.length);
  out.u64(metadata.size);
  for (const [key, kv] of metadata) out.kv(key, kv);
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(tensor.typeId);
    out.u64(tensor.offset);
  }
  out.pad(alignment);
  return out.finish();
}

export function alignmentOf(metadata: ReadonlyMap<string, GgufKv>): number {
  const value = metadata.get('general.alignment')?.value;
  return typeof value === 'number' ? value : GGUF_DEFAULT_ALIGNMENT;
}
