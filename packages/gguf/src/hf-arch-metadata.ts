/**
 * The `general.*` and `{arch}.*` metadata convert_hf_to_gguf.py writes for a Llama-family
 * config.json (TextModel / LlamaModel / Qwen2Model / Qwen3Model `set_gguf_parameters`).
 */
import { type LlamaFamilyArchitecture, type LlamaFamilyConfig, ModelFormatError } from '@cinder/model-format';
import { GGUF_DEFAULT_ALIGNMENT, GGUF_FILE_TYPES, type GgufFileType } from './gguf-types.ts';
import type { MetadataBuilder } from './metadata-builder.ts';

export type GgufArchitecture = 'llama' | 'qwen2' | 'qwen3';

/** Mistral converts as `llama` (convert_hf_to_gguf registers MistralForCausalLM under LlamaModel). */
export const GGUF_ARCHITECTURES: Readonly<Record<LlamaFamilyArchitecture, GgufArchitecture>> = {
  LlamaForCausalLM: 'llama',
  MistralForCausalLM: 'llama',
  Qwen2ForCausalLM: 'qwen2',
  Qwen3ForCausalLM: 'qwen3',
};

/** gguf-py's GGML_QUANT_VERSION. */
const QUANTIZATION_VERSION = 2;

export function addGeneralMetadata(
  out: MetadataBuilder,
  arch: GgufArchitecture,
  name: string,
  fileType: GgufFileType,
): void {
  out
    .string('general.architecture', arch)
    .string('general.type', 'model')
    .string('general.name', name)
    .u32('general.file_type', GGUF_FILE_TYPES[fileType])
    .u32('general.quantization_version', QUANTIZATION_VERSION)
    .u32('general.alignment', GGUF_DEFAULT_ALIGNMENT);
}

/** `raw` is config.json as read, for the keys that are written only when present (`head_dim`). */
export function addArchMetadata(
  out: MetadataBuilder,
  arch: GgufArchitecture,
  config: LlamaFamilyConfig,
  raw: Readonly<Record<string, unknown>>,
): void {
  out
    .u32(`${arch}.block_count`, config.numLayers)
    .u32(`${arch}.context_length`, config.maxPositionEmbeddings)
    .u32(`${arch}.embedding_length`, config.hiddenSize)
    .u32(`${arch}.feed_forward_length`, config.intermediateSize)
    .u32(`${arch}.attention.head_count`, config.numHeads)
    .u32(`${arch}.attention.head_count_kv`, config.numKvHeads)
    .f32(`${arch}.rope.freq_base`, config.ropeTheta)
    .f32(`${arch}.attention.layer_norm_rms_epsilon`, config.rmsNormEps);
  if (typeof raw.head_dim === 'number') {
    out
      .u32(`${arch}.attention.key_length`, config.headDim)
      .u32(`${arch}.attention.value_length`, config.headDim);
  }
  if (arch === 'llama') {
    out.u32(`${arch}.vocab_size`, config.vocabSize).u32(`${arch}.rope.dimension_count`, config.headDim);
  }
  const scaling = config.ropeScaling;
  if (scaling?.type === 'linear') {
    out.string(`${arch}.rope.scaling.type`, 'linear').f32(`${arch}.rope.scaling.factor`, scaling.factor);
  }
  if (scaling?.type === 'llama3' && arch !== 'llama') {
    throw new ModelFormatError(`rope_type llama3 is only supported for the llama architecture, not ${arch}`);
  }
  if (config.outputBias && arch === 'qwen2') {
    throw new ModelFormatError('qwen2 with an o_proj bias has no llama.cpp equivalent');
  }
}
