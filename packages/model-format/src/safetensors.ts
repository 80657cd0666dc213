/**
 * A model's tensors, across one `model.safetensors` or the shards listed in
 * `model.safetensors.index.json`. Opening reads only headers; each tensor is fetched with its
 * own range request when read.
 */
import { ModelFormatError } from './errors.ts';
import { decodeBf16, decodeF16, decodeF32 } from './half-float.ts';
import type { ModelSource } from './model-source.ts';
import { readRange } from './read-range.ts';
import { readSafetensorsHeader, type SafetensorsHeader, type TensorInfo } from './safetensors-header.ts';

export const SINGLE_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';

export interface ReadOptions {
  /** Fail unless the tensor has exactly this shape. */
  readonly shape?: readonly number[];
  readonly signal?: AbortSignal;
}

export interface TensorStore {
  /** Every tensor name, in file order. */
  readonly names: readonly string[];
  /** The safetensors files, in the order they were opened. */
  readonly files: readonly string[];
  /** `__metadata__` of the (first) file. */
  readonly metadata: Readonly<Record<string, string>>;
  has(name: string): boolean;
  /** Throws a ModelFormatError naming the tensor when it is missing. */
  info(name: string): TensorInfo;
  /** The tensor's raw little-endian bytes. */
  readBytes(name: string, options?: ReadOptions): Promise<Uint8Array>;
  /** The tensor as float32 (from F32, F16 or BF16), row-major. */
  readF32(name: string, options?: ReadOptions): Promise<Float32Array>;
}

/** Opens `model.safetensors`, or else the shards named by `model.safetensors.index.json`. */
export async function openSafetensors(
  source: ModelSource,
  options: { signal?: AbortSignal } = {},
): Promise<TensorStore> {
  const { signal } = options;
  const single = await readSafetensorsHeader(source, SINGLE_FILE, signal);
  if (single) return tensorStore(source, [SINGLE_FILE], [single]);

  const index = await source.file(INDEX_FILE, { signal });
  if (!index) throw new ModelFormatError(`Model ${source.id} has neither ${SINGLE_FILE} nor ${INDEX_FILE}`);
  const weightMap = parseWeightMap(await index.json());
  const files = [...new Set(Object.values(weightMap))];
  const headers = await Promise.all(
    files.map(async (file) => {
      const header = await readSafetensorsHeader(source, file, signal);
      if (!header)
        throw new ModelFormatError(`Model ${source.id} lacks shard ${file} named in ${INDEX_FILE}`);
      return header;
    }),
  );
  const store = tensorStore(source, files, headers);
  for (const [name, file] of Object.entries(weightMap)) {
    if (!store.has(name) || store.info(name).file !== file) {
      throw new ModelFormatError(
        `${INDEX_FILE} puts tensor ${name} in ${file}, but that shard does not have it`,
      );
    }
  }
  return store;
}

function tensorStore(source: ModelSource, files: string[], headers: SafetensorsHeader[]): TensorStore {
  const tensors = new Map<string, TensorInfo>();
  for (const header of headers) {
    for (const tensor of header.tensors) {
      const other = tensors.get(tensor.name);
      if (other)
        throw new ModelFormatError(`Tensor ${tensor.name} is in both ${other.file} and ${tensor.file}`);
      tensors.set(tensor.name, tensor);
    }
  }

  const info = (name: string): TensorInfo => {
    const tensor = tensors.get(name);
    if (!tensor) throw new ModelFormatError(`Model ${source.id} has no tensor ${name}`);
    return tensor;
  };
  const readBytes = async (name: string, options: ReadOptions = {}): Promise<Uint8Array> => {
    const tensor = info(name);
    if (options.shape) checkShape(tensor, options.shape);
    if (tensor.byteLength === 0) return new Uint8Array(0);
    const end = tensor.offset + tensor.byteLength;
    const bytes = await readRange(source, tensor.file, tensor.offset, end, options.signal);
    if (!bytes) throw new ModelFormatError(`Model ${source.id} lost file ${tensor.file} (tensor ${name})`);
    return bytes;
  };

  return {
    names: [...tensors.keys()],
    files,
    metadata: headers[0]?.metadata ?? {},
    has: (name) => tensors.has(name),
    info,
    readBytes,
    async readF32(name, options = {}) {
      const { dtype } = info(name);
      if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') {
        throw new ModelFormatError(
          `Tensor ${name} has dtype ${dtype}; only F32, F16 and BF16 read as float32`,
        );
      }
      const bytes = await readBytes(name, options);
      if (dtype === 'F16') return decodeF16(bytes);
      if (dtype === 'BF16') return decodeBf16(bytes);
      return decodeF32(bytes);
    },
  };
}

function checkShape(tensor: TensorInfo, expected: readonly number[]): void {
  const same =
    tensor.shape.length === expected.length && tensor.shape.every((size, i) => size === expected[i]);
  if (!same) {
    throw new ModelFormatError(
      `Tensor ${tensor.name} has shape [${tensor.shape.join(', ')}], expected [${expected.join(', ')}]`,
    );
  }
}

function parseWeightMap(index: unknown): Record<string, string> {
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  const valid =
    typeof weightMap === 'object' &&
    weightMap !== null &&
    Object.values(weightMap).every((file) => typeof file === 'string');
  if (!valid) throw new ModelFormatError(`${INDEX_FILE} has no weight_map of tensor name -> file`);
  return weightMap as Record<string, string>;
}
