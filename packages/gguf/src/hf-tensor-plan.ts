/**
 * Which tensors a GGUF gets from a Hugging Face checkpoint, under which names, in which type,
 * and how each one's float32 data is produced (convert_hf_to_gguf.py `prepare_tensors`).
 */
import {
  type LlamaFamilyConfig,
  ModelFormatError,
  type ModelSource,
  type TensorStore,
} from '@cinder/model-format';
import { GGML_TYPES, type GgmlTypeName, type GgufFileType } from './gguf-types.ts';
import type { GgufArchitecture } from './hf-arch-metadata.ts';
import { permuteQk } from './llama-permute.ts';
import { llama3RopeFactors } from './llama3-rope-factors.ts';
import { QK } from './quantize.ts';
import { tensorRowChunks } from './tensor-chunks.ts';
import { ggufTensorName, isSkippedTensor } from './tensor-names.ts';

export interface PlannedTensor {
  readonly name: string;
  /** ggml order: `dims[0]` is the row length (the last Hugging Face dimension). */
  readonly dims: readonly number[];
  readonly type: GgmlTypeName;
  /** The values in chunks of whole rows, row-major as Hugging Face stores them (after llama's q/k permutation). */
  chunks(signal?: AbortSignal): AsyncIterable<Float32Array>;
}

const WHOLE_FILE_TYPES: Record<GgufFileType, GgmlTypeName> = {
  f32: 'F32',
  f16: 'F16',
  q8_0: 'Q8_0',
  q4_0: 'Q4_0',
};

export function planTensors(
  source: ModelSource,
  store: TensorStore,
  config: LlamaFamilyConfig,
  arch: GgufArchitecture,
  fileType: GgufFileType,
): PlannedTensor[] {
  const planned: PlannedTensor[] = [];
  const scaling = config.ropeScaling;
  if (scaling?.type === 'llama3') {
    const factors = llama3RopeFactors(config.headDim, config.ropeTheta, scaling);
    planned.push({
      name: 'rope_freqs.weight',
      dims: [factors.length],
      type: 'F32',
      chunks: async function* () {
        yield factors;
      },
    });
  }
  for (const hfName of store.names) {
    if (isSkippedTensor(hfName)) continue;
    if (hfName === 'lm_head.weight' && config.tieWordEmbeddings) continue;
    const name = ggufTensorName(hfName);
    if (!name) throw new ModelFormatError(`Cannot map tensor ${hfName} to a GGUF name`);
    const shape = store.info(hfName).shape;
    const dims = [...shape].reverse();
    const heads = permuteHeads(arch, hfName, config);
    planned.push({
      name,
      dims,
      type: tensorType(name, dims, WHOLE_FILE_TYPES[fileType]),
      chunks: (signal) =>
        heads === null
          ? tensorRowChunks(source, store.info(hfName), signal)
          : (async function* () {
              yield permuteQk(await store.readF32(hfName, { signal }), shape[0], heads); // q/k are small
            })(),
    });
  }
  return planned;
}

/** Heads to permute q/k rows by (llama only), or null. */
function permuteHeads(arch: GgufArchitecture, hfName: string, config: LlamaFamilyConfig): number | null {
  if (arch !== 'llama') return null;
  if (/\.q_proj\.(weight|bias)$/.test(hfName)) return config.numHeads;
  if (/\.k_proj\.(weight|bias)$/.test(hfName)) return config.numKvHeads;
  return null;
}

/**
 * F32 for 1-D tensors, norms and biases; otherwise the file's type, falling back to F16 when a
 * row does not split into whole quantization blocks (as gguf-py's QuantError fallback does).
 */
function tensorType(name: string, dims: readonly number[], wanted: GgmlTypeName): GgmlTypeName {
  if (dims.length <= 1 || name.endsWith('_norm.weight') || !name.endsWith('.weight')) return 'F32';
  if (GGML_TYPES[wanted].blockSize === QK && dims[0] % QK !== 0) return 'F16';
  return wanted;
}
