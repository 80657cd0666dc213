/**
 * config.json and generation_config.json for a GGUF model, from its `{arch}.*` metadata and
 * tensor list, in the shape Hugging Face transformers writes them for the same model.
 *
 * Not recoverable from a GGUF: Llama 3.x's `rope_scaling` parameters (llama.cpp only keeps the
 * per-frequency factors, `rope_freqs.weight`), so `rope_scaling` is null for those; and
 * `torch_dtype` (null for quantized files).
 */
import { ModelFormatError } from '@cinder/model-format';
import type { GgmlTypeName } from './gguf-types.ts';
import { ggufNumber, ggufString } from './metadata-values.ts';
import type { GgufHeader } from './read-header.ts';

type Json = Record<string, unknown>;

const ARCHITECTURES: Readonly<Record<string, string>> = {
  llama: 'LlamaForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
};

const DTYPES: Partial<Record<GgmlTypeName, string>> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

export interface TokenIds {
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
  readonly endOfGenerationIds: readonly number[];
}

export function ggufConfigJson(header: GgufHeader, file: string, ids: TokenIds): Json {
  const arch = ggufString(header, 'general.architecture');
  const architecture = arch === undefined ? undefined : ARCHITECTURES[arch];
  if (architecture === undefined) {
    throw new ModelFormatError(
      `GGUF architecture ${String(arch)} is not supported; supported: ${Object.keys(ARCHITECTURES).join(', ')}`,
    );
  }
  const required = (key: string): number => {
    const value = ggufNumber(header, `${arch}.${key}`);
    if (value === undefined) throw new ModelFormatError(`GGUF ${file} lacks ${arch}.${key}`);
    return value;
  };
  const hidden = required('embedding_length');
  const heads = required('attention.head_count');
  const tensorNames = new Set(header.tensors.map((t) => t.name));
  const scalingType = ggufString(header, `${arch}.rope.scaling.type`);
  const scalingFactor = ggufNumber(header, `${arch}.rope.scaling.factor`);
  const tokens = header.metadata.get('tokenizer.ggml.tokens')?.value;
  const embedType = header.tensors.find((t) => t.name === 'token_embd.weight')?.type;

  return {
    architectures: [architecture],
    model_type: arch,
    hidden_act: 'silu',
    hidden_size: hidden,
    intermediate_size: required('feed_forward_length'),
    num_hidden_layers: required('block_count'),
    num_attention_heads: heads,
    num_key_value_heads: ggufNumber(header, `${arch}.attention.head_count_kv`) ?? heads,
    head_dim:
      ggufNumber(header, `${arch}.attention.key_length`) ??
      ggufNumber(header, `${arch}.rope.dimension_count`) ??
      hidden / heads,
    vocab_size:
      ggufNumber(header, `${arch}.vocab_size`) ?? (Array.isArray(tokens) ? tokens.length : undefined),
    max_position_embeddings: required('context_length'),
    rms_norm_eps: shortestFloat32(required('attention.layer_norm_rms_epsilon')),
    rope_theta: shortestFloat32(ggufNumber(header, `${arch}.rope.freq_base`) ?? 10000),
    rope_scaling:
      scalingType === 'linear' && scalingFactor !== undefined
        ? { rope_type: 'linear', factor: shortestFloat32(scalingFactor) }
        : null,
    tie_word_embeddings: !tensorNames.has('output.weight'),
    attention_bias: arch !== 'qwen2' && tensorNames.has('blk.0.attn_q.bias'),
    bos_token_id: ids.bosTokenId,
    eos_token_id: ids.eosTokenId,
    torch_dtype: (embedType && DTYPES[embedType]) ?? null,
    gguf_file: file,
  };
}

export function ggufGenerationConfigJson(ids: TokenIds): Json {
  return { bos_token_id: ids.bosTokenId, eos_token_id: [...ids.endOfGenerationIds] };
}

/** The shortest decimal that is the same float32 (1e-5 rather than 9.999999747378752e-06). */
export function shortestFloat32(value: number): number {
  for (let digits = 1; digits <= 17; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}
