/**
 * `config.json` of a Llama-family decoder, normalised. Llama 2/3.x, SmolLM2, Mistral, Qwen2/2.5
 * and Qwen3 share one shape: RMSNorm, RoPE (rotate_half), GQA attention, SwiGLU MLP. They differ
 * only in the flags below. Defaults follow Hugging Face transformers' config classes.
 */
import { ModelFormatError } from './errors.ts';
import { type ModelSource, readJson } from './model-source.ts';

export const SUPPORTED_ARCHITECTURES = [
  'LlamaForCausalLM',
  'MistralForCausalLM',
  'Qwen2ForCausalLM',
  'Qwen3ForCausalLM',
] as const;
export type LlamaFamilyArchitecture = (typeof SUPPORTED_ARCHITECTURES)[number];

/** RoPE frequency scaling (`rope_scaling` / `rope_parameters` in config.json). */
export type RopeScaling =
  | {
      readonly type: 'llama3';
      readonly factor: number;
      readonly lowFreqFactor: number;
      readonly highFreqFactor: number;
      readonly originalMaxPositionEmbeddings: number;
    }
  | { readonly type: 'linear'; readonly factor: number };

export interface LlamaFamilyConfig {
  readonly architecture: LlamaFamilyArchitecture;
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numLayers: number;
  /** Query heads, and key/value heads (fewer with grouped-query attention). */
  readonly numHeads: number;
  readonly numKvHeads: number;
  /** `head_dim`, or hiddenSize / numHeads. */
  readonly headDim: number;
  readonly vocabSize: number;
  readonly rmsNormEps: number;
  readonly ropeTheta: number;
  readonly ropeScaling: RopeScaling | null;
  readonly maxPositionEmbeddings: number;
  /** Sliding-window attention span when the model uses it; runtimes cap the context at it. */
  readonly slidingWindow: number | null;
  /** No `lm_head.weight`: the token embedding doubles as the LM head. */
  readonly tieWordEmbeddings: boolean;
  /** Bias on q/k/v projections (Qwen2; Llama/Qwen3 with `attention_bias`). */
  readonly attentionBias: boolean;
  /** Bias on o_proj (Llama/Qwen3 with `attention_bias`; never Qwen2). */
  readonly outputBias: boolean;
  /** Per-head RMSNorm on q and k before RoPE (Qwen3). */
  readonly qkNorm: boolean;
  readonly bosTokenId: number | null;
  readonly eosTokenIds: readonly number[];
  /** Storage dtype named in the config (`torch_dtype`, or `dtype` in newer files). */
  readonly torchDtype: string | null;
}

const MODEL_TYPES: Record<string, LlamaFamilyArchitecture> = {
  llama: 'LlamaForCausalLM',
  mistral: 'MistralForCausalLM',
  qwen2: 'Qwen2ForCausalLM',
  qwen3: 'Qwen3ForCausalLM',
};

type Json = Record<string, unknown>;

export async function readLlamaConfig(source: ModelSource): Promise<LlamaFamilyConfig> {
  const json = await readJson<unknown>(source, 'config.json');
  if (json === null) throw new ModelFormatError(`Model ${source.id} has no config.json`);
  return parseLlamaConfig(json);
}

export function parseLlamaConfig(json: unknown): LlamaFamilyConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ModelFormatError('config.json is not a JSON object');
  }
  const config = json as Json;
  const architecture = readArchitecture(config);
  const isQwen2 = architecture === 'Qwen2ForCausalLM';
  const isQwen3 = architecture === 'Qwen3ForCausalLM';

  const hiddenSize = count(config, 'hidden_size');
  const numHeads = count(config, 'num_attention_heads');
  const numKvHeads = count(config, 'num_key_value_heads', numHeads);
  const headDim = count(config, 'head_dim', isQwen3 ? 128 : hiddenSize / numHeads);
  if (numHeads % numKvHeads !== 0) {
    throw new ModelFormatError(
      `config.json: num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKvHeads}`,
    );
  }
  if (headDim % 2 !== 0) throw new ModelFormatError(`config.json: head_dim ${headDim} must be even for RoPE`);

  const activation = config.hidden_act ?? 'silu';
  if (activation !== 'silu')
    throw new ModelFormatError(`config.json: hidden_act ${String(activation)} is not supported (only silu)`);
  if (config.mlp_bias === true) throw new ModelFormatError('config.json: mlp_bias is not supported');
  const rope = (isObject(config.rope_parameters) ? config.rope_parameters : config.rope_scaling) ?? null;
  const partialRotary =
    (isObject(rope) ? rope.partial_rotary_factor : undefined) ?? config.partial_rotary_factor ?? 1;
  if (partialRotary !== 1) throw new ModelFormatError('config.json: partial_rotary_factor is not supported');

  const attentionBias = config.attention_bias === true;
  const eos = config.eos_token_id ?? [];
  return {
    architecture,
    hiddenSize,
    intermediateSize: count(config, 'intermediate_size'),
    numLayers: count(config, 'num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    vocabSize: count(config, 'vocab_size'),
    rmsNormEps: positive(config, 'rms_norm_eps', 1e-6),
    ropeTheta: positive(
      config,
      'rope_theta',
      isObject(rope) && typeof rope.rope_theta === 'number' ? rope.rope_theta : 10000,
    ),
    ropeScaling: readRopeScaling(rope),
    maxPositionEmbeddings: count(config, 'max_position_embeddings', isQwen2 || isQwen3 ? 32768 : 2048),
    slidingWindow: readSlidingWindow(config, architecture),
    tieWordEmbeddings: config.tie_word_embeddings === true,
    attentionBias: isQwen2 || (attentionBias && architecture !== 'MistralForCausalLM'),
    outputBias: attentionBias && (architecture === 'LlamaForCausalLM' || isQwen3),
    qkNorm: isQwen3,
    bosTokenId: typeof config.bos_token_id === 'number' ? config.bos_token_id : null,
    eosTokenIds: (Array.isArray(eos) ? eos : [eos]).filter((id): id is number => typeof id === 'number'),
    torchDtype: stringOrNull(config.torch_dtype) ?? stringOrNull(config.dtype),
  };
}

function readArchitecture(config: Json): LlamaFamilyArchitecture {
  const listed = Array.isArray(config.architectures) ? config.architectures[0] : undefined;
  const name = typeof listed === 'string' ? listed : MODEL_TYPES[String(config.model_type)];
  if (name === undefined) {
    throw new ModelFormatError(
      `config.json names no architecture (architectures / model_type ${String(config.model_type)})`,
    );
  }
  if (!(SUPPORTED_ARCHITECTURES as readonly string[]).includes(name)) {
    throw new ModelFormatError(
      `Unsupported architecture ${name}; supported: ${SUPPORTED_ARCHITECTURES.join(', ')}`,
    );
  }
  return name as LlamaFamilyArchitecture;
}

function readRopeScaling(rope: unknown): RopeScaling | null {
  if (rope === null) return null;
  if (!isObject(rope)) throw new ModelFormatError('config.json: rope_scaling is not an object');
  const type = rope.rope_type ?? rope.type ?? 'default';
  const field = (key: string): number => {
    const value = rope[key];
    if (typeof value !== 'number' || !(value > 0)) {
      throw new ModelFormatError(
        `config.json: rope_scaling.${key} must be a positive number for rope_type ${String(type)}`,
      );
    }
    return value;
  };
  if (type === 'default') return null;
  if (type === 'linear') return { type: 'linear', factor: field('factor') };
  if (type === 'llama3') {
    return {
      type: 'llama3',
      factor: field('factor'),
      lowFreqFactor: field('low_freq_factor'),
      highFreqFactor: field('high_freq_factor'),
      originalMaxPositionEmbeddings: field('original_max_position_embeddings'),
    };
  }
  throw new ModelFormatError(
    `config.json: rope_type ${String(type)} is not supported (default, linear, llama3)`,
  );
}

function readSlidingWindow(config: Json, architecture: LlamaFamilyArchitecture): number | null {
  const window = config.sliding_window;
  if (typeof window !== 'number') return null;
  // Mistral uses its window whenever it is set; Qwen only with use_sliding_window.
  if (architecture === 'MistralForCausalLM' || config.use_sliding_window === true) return window;
  return null;
}

/** A positive integer field, or the default when absent (null counts as absent). */
function count(config: Json, key: string, fallback?: number): number {
  const value = config[key] ?? fallback;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new ModelFormatError(
      `config.json: ${key} must be a positive integer, got ${JSON.stringify(value)}`,
    );
  }
  return value as number;
}

function positive(config: Json, key: string, fallback: number): number {
  const value = config[key] ?? fallback;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new ModelFormatError(`config.json: ${key} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
