/**
 * The safetensors header: an 8-byte little-endian u64 `N`, then `N` bytes of UTF-8 JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: { key: string } }`.
 * Offsets count from the end of the header (byte `8 + N` of the file).
 */
import { ModelFormatError } from './errors.ts';
import type { ModelSource } from './model-source.ts';
import { readRange } from './read-range.ts';

/** Where one tensor lives and what it holds. */
export interface TensorInfo {
  readonly name: string;
  /** safetensors dtype string: `F32`, `F16`, `BF16`, `I64`, ... */
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly byteLength: number;
  /** The file that holds it, and its absolute byte offset there. */
  readonly file: string;
  readonly offset: number;
}

export interface SafetensorsHeader {
  readonly tensors: TensorInfo[];
  readonly metadata: Record<string, string>;
}

/** Bytes per element of each dtype the format defines. */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** safetensors refuses headers above 100 MB; so do we (a bigger one means a corrupt file). */
const MAX_HEADER_BYTES = 100_000_000;

/**
 * Reads a file's header with two range requests: the length, then the JSON.
 * Resolves to null when the file does not exist.
 */
export async function readSafetensorsHeader(
  source: ModelSource,
  file: string,
  signal?: AbortSignal,
): Promise<SafetensorsHeader | null> {
  const prefix = await readRange(source, file, 0, 8, signal);
  if (!prefix) return null;
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const headerBytes = high * 2 ** 32 + low;
  if (headerBytes === 0 || headerBytes > MAX_HEADER_BYTES) {
    throw new ModelFormatError(`${file} is not a safetensors file: header length ${headerBytes} bytes`);
  }
  const json = await readRange(source, file, 8, 8 + headerBytes, signal);
  if (!json) throw new ModelFormatError(`${file} disappeared while reading its header`);
  return parseSafetensorsHeader(new TextDecoder().decode(json), file, 8 + headerBytes);
}

/** Validates header JSON: integer shapes, offsets that match shape x dtype size. */
export function parseSafetensorsHeader(text: string, file: string, dataStart: number): SafetensorsHeader {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new ModelFormatError(`${file}: the safetensors header is not valid JSON`);
  }
  if (!isObject(header)) throw new ModelFormatError(`${file}: the safetensors header is not a JSON object`);

  const tensors: TensorInfo[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = parseMetadata(entry, file);
      continue;
    }
    tensors.push(parseEntry(name, entry, file, dataStart));
  }
  return { tensors, metadata };
}

function parseEntry(name: string, entry: unknown, file: string, dataStart: number): TensorInfo {
  const where = `${file}: tensor ${name}`;
  if (!isObject(entry)) throw new ModelFormatError(`${where}: entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (typeof dtype !== 'string') throw new ModelFormatError(`${where}: missing dtype`);
  const elementBytes = DTYPE_BYTES[dtype]; // undefined for newer dtypes (F4, F8_E8M0, ...): only reading them fails
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw new ModelFormatError(`${where}: shape ${JSON.stringify(shape)} is not a list of sizes`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[1] < offsets[0]) {
    throw new ModelFormatError(`${where}: bad data_offsets ${JSON.stringify(offsets)}`);
  }
  const byteLength = offsets[1] - offsets[0];
  const expected = shape.reduce((product: number, size: number) => product * size, 1) * elementBytes;
  if (elementBytes !== undefined && byteLength !== expected) {
    throw new ModelFormatError(
      `${where}: shape [${shape.join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets span ${byteLength}`,
    );
  }
  return { name, dtype, shape, byteLength, file, offset: dataStart + offsets[0] };
}

function parseMetadata(entry: unknown, file: string): Record<string, string> {
  if (!isObject(entry) || !Object.values(entry).every((value) => typeof value === 'string')) {
    throw new ModelFormatError(`${file}: __metadata__ must map strings to strings`);
  }
  return entry as Record<string, string>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
