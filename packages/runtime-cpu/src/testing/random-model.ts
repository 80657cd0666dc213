/**
 * Small models with seeded random weights, built in memory: config.json + model.safetensors.
 * For tests of runtimes and of the engine; real tiny checkpoints come from @cinder/fixtures.
 */
import {
  type LlamaFamilyArchitecture,
  type ModelSource,
  memoryModelSource,
  parseLlamaConfig,
  type TensorToWrite,
  type WritableDtype,
  writeSafetensors,
} from '@cinder/model-format';
import { weightTensors } from '../weights.ts';

export interface RandomModelOptions {
  readonly architecture?: LlamaFamilyArchitecture;
  readonly hiddenSize?: number;
  readonly intermediateSize?: number;
  readonly numLayers?: number;
  readonly numHeads?: number;
  readonly numKvHeads?: number;
  /** Defaults to hiddenSize / numHeads. */
  readonly headDim?: number;
  readonly vocabSize?: number;
  readonly maxPositionEmbeddings?: number;
  readonly tieWordEmbeddings?: boolean;
  readonly attentionBias?: boolean;
  /** Extra config.json keys (e.g. rope_scaling). */
  readonly extraConfig?: Readonly<Record<string, unknown>>;
  readonly dtype?: WritableDtype;
  readonly seed?: number;
}

/** config.json for the options (Hugging Face key names). */
export function randomModelConfig(options: RandomModelOptions = {}): Record<string, unknown> {
  const hiddenSize = options.hiddenSize ?? 32;
  const numHeads = options.numHeads ?? 4;
  return {
    architectures: [options.architecture ?? 'LlamaForCausalLM'],
    hidden_size: hiddenSize,
    intermediate_size: options.intermediateSize ?? 48,
    num_hidden_layers: options.numLayers ?? 2,
    num_attention_heads: numHeads,
    num_key_value_heads: options.numKvHeads ?? 2,
    head_dim: options.headDim ?? hiddenSize / numHeads,
    vocab_size: options.vocabSize ?? 64,
    max_position_embeddings: options.maxPositionEmbeddings ?? 256,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    tie_word_embeddings: options.tieWordEmbeddings ?? false,
    attention_bias: options.attentionBias ?? false,
    bos_token_id: 1,
    eos_token_id: 2,
    ...options.extraConfig,
  };
}

/** The model's files: `config.json` and `model.safetensors`. */
export function randomModelFiles(options: RandomModelOptions = {}): Record<string, Uint8Array | string> {
  const configJson = randomModelConfig(options);
  const config = parseLlamaConfig(configJson);
  const random = mulberry32(options.seed ?? 1);
  const tensors: Record<string, TensorToWrite> = {};
  for (const { name, shape } of weightTensors(config)) {
    const size = shape.reduce((product, n) => product * n, 1);
    // Norm weights near 1, everything else small and centred, like a trained model's scale.
    const isNorm = name.endsWith('norm.weight');
    const data = new Float32Array(size).map(() =>
      isNorm ? 1 + 0.2 * (random() - 0.5) : 0.4 * (random() - 0.5),
    );
    tensors[name] = { dtype: options.dtype ?? 'F32', shape, data };
  }
  return { 'config.json': JSON.stringify(configJson), 'model.safetensors': writeSafetensors(tensors) };
}

export function randomModelSource(options: RandomModelOptions = {}): ModelSource {
  return memoryModelSource(
    `random-${options.architecture ?? 'llama'}-${options.seed ?? 1}`,
    randomModelFiles(options),
  );
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
