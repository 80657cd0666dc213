import { describe, expect, it } from 'vitest';
import { parseLlamaConfig, readLlamaConfig } from './llama-config.ts';
import { memoryModelSource } from './memory-source.ts';

// Trimmed copies of real config.json files.
const smolLm2 = {
  architectures: ['LlamaForCausalLM'],
  bos_token_id: 1,
  eos_token_id: 2,
  hidden_act: 'silu',
  hidden_size: 576,
  intermediate_size: 1536,
  max_position_embeddings: 8192,
  model_type: 'llama',
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  vocab_size: 49152,
};
const llama32 = {
  architectures: ['LlamaForCausalLM'],
  attention_bias: false,
  bos_token_id: 128000,
  eos_token_id: [128001, 128008, 128009],
  head_dim: 64,
  hidden_size: 2048,
  intermediate_size: 8192,
  max_position_embeddings: 131072,
  mlp_bias: false,
  num_attention_heads: 32,
  num_hidden_layers: 16,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_scaling: {
    factor: 32.0,
    high_freq_factor: 4.0,
    low_freq_factor: 1.0,
    original_max_position_embeddings: 8192,
    rope_type: 'llama3',
  },
  rope_theta: 500000.0,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  vocab_size: 128256,
};
const qwen25 = {
  architectures: ['Qwen2ForCausalLM'],
  bos_token_id: 151643,
  eos_token_id: 151645,
  hidden_size: 896,
  intermediate_size: 4864,
  max_position_embeddings: 32768,
  max_window_layers: 21,
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 32768,
  tie_word_embeddings: true,
  use_sliding_window: false,
  vocab_size: 151936,
};
const qwen3 = {
  architectures: ['Qwen3ForCausalLM'],
  attention_bias: false,
  bos_token_id: 151643,
  eos_token_id: 151645,
  head_dim: 128,
  hidden_size: 1024,
  intermediate_size: 3072,
  max_position_embeddings: 40960,
  num_attention_heads: 16,
  num_hidden_layers: 28,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-6,
  rope_scaling: null,
  rope_theta: 1000000,
  sliding_window: null,
  tie_word_embeddings: true,
  torch_dtype: 'bfloat16',
  vocab_size: 151936,
};

describe('parseLlamaConfig', () => {
  it('normalises SmolLM2 (Llama, tied, head_dim from hidden/heads)', () => {
    expect(parseLlamaConfig(smolLm2)).toEqual({
      architecture: 'LlamaForCausalLM',
      hiddenSize: 576,
      intermediateSize: 1536,
      numLayers: 30,
      numHeads: 9,
      numKvHeads: 3,
      headDim: 64,
      vocabSize: 49152,
      rmsNormEps: 1e-5,
      ropeTheta: 100000,
      ropeScaling: null,
      maxPositionEmbeddings: 8192,
      slidingWindow: null,
      tieWordEmbeddings: true,
      attentionBias: false,
      outputBias: false,
      qkNorm: false,
      bosTokenId: 1,
      eosTokenIds: [2],
      torchDtype: 'bfloat16',
    });
  });

  it('reads llama3 rope scaling and a list of eos ids', () => {
    const config = parseLlamaConfig(llama32);
    expect(config.ropeScaling).toEqual({
      type: 'llama3',
      factor: 32,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 8192,
    });
    expect(config.eosTokenIds).toEqual([128001, 128008, 128009]);
    expect(config.headDim).toBe(64);
    // Older files say `type` instead of `rope_type`.
    const { rope_type: _, ...legacy } = llama32.rope_scaling;
    expect(
      parseLlamaConfig({ ...llama32, rope_scaling: { ...legacy, type: 'llama3' } }).ropeScaling?.type,
    ).toBe('llama3');
  });

  it('gives Qwen2 q/k/v bias (not o_proj) and ignores an unused sliding window', () => {
    const config = parseLlamaConfig(qwen25);
    expect(config).toMatchObject({ attentionBias: true, outputBias: false, qkNorm: false, headDim: 64 });
    expect(config).toMatchObject({ slidingWindow: null, torchDtype: null, ropeTheta: 1e6, numKvHeads: 2 });
    expect(parseLlamaConfig({ ...qwen25, use_sliding_window: true }).slidingWindow).toBe(32768);
  });

  it('gives Qwen3 q/k norm and its own head_dim', () => {
    const config = parseLlamaConfig(qwen3);
    expect(config).toMatchObject({ qkNorm: true, attentionBias: false, outputBias: false, headDim: 128 });
    expect(config.hiddenSize / config.numHeads).toBe(64);
  });

  it('maps Llama attention_bias to q/k/v and o_proj', () => {
    expect(parseLlamaConfig({ ...smolLm2, attention_bias: true })).toMatchObject({
      attentionBias: true,
      outputBias: true,
    });
  });

  it('accepts Mistral as Llama-shaped, with its sliding window', () => {
    const mistral = {
      ...smolLm2,
      architectures: ['MistralForCausalLM'],
      model_type: 'mistral',
      sliding_window: 4096,
    };
    expect(parseLlamaConfig(mistral)).toMatchObject({
      architecture: 'MistralForCausalLM',
      slidingWindow: 4096,
    });
  });

  it('applies defaults and falls back on model_type', () => {
    const minimal = {
      model_type: 'llama',
      hidden_size: 8,
      intermediate_size: 16,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      vocab_size: 10,
    };
    expect(parseLlamaConfig(minimal)).toMatchObject({
      architecture: 'LlamaForCausalLM',
      numKvHeads: 2,
      headDim: 4,
      rmsNormEps: 1e-6,
      ropeTheta: 10000,
      maxPositionEmbeddings: 2048,
      tieWordEmbeddings: false,
      bosTokenId: null,
      eosTokenIds: [],
    });
  });

  it('reads the transformers v5 layout (rope_parameters, dtype)', () => {
    const { rope_scaling: _, rope_theta: __, torch_dtype: ___, ...rest } = llama32;
    const v5 = {
      ...rest,
      dtype: 'bfloat16',
      rope_parameters: { ...llama32.rope_scaling, rope_theta: 500000 },
    };
    expect(parseLlamaConfig(v5)).toMatchObject({
      ropeTheta: 500000,
      torchDtype: 'bfloat16',
      ropeScaling: { factor: 32 },
    });
    const plain = { ...rest, rope_parameters: { rope_type: 'default', rope_theta: 1234 } };
    expect(parseLlamaConfig(plain)).toMatchObject({ ropeTheta: 1234, ropeScaling: null });
  });

  it('explains what it cannot run', () => {
    expect(() => parseLlamaConfig({ ...smolLm2, architectures: ['Phi3ForCausalLM'] })).toThrow(
      /Unsupported architecture Phi3ForCausalLM; supported: LlamaForCausalLM, MistralForCausalLM/,
    );
    expect(() => parseLlamaConfig({ ...smolLm2, architectures: undefined, model_type: 'gpt2' })).toThrow(
      /names no architecture/,
    );
    expect(() => parseLlamaConfig({ ...smolLm2, num_key_value_heads: 4 })).toThrow(
      /not a multiple of num_key_value_heads 4/,
    );
    expect(() => parseLlamaConfig({ ...smolLm2, hidden_size: undefined })).toThrow(
      /hidden_size must be a positive integer/,
    );
    expect(() => parseLlamaConfig({ ...smolLm2, hidden_act: 'gelu' })).toThrow(/hidden_act gelu/);
    expect(() => parseLlamaConfig({ ...smolLm2, rope_scaling: { rope_type: 'yarn', factor: 4 } })).toThrow(
      /rope_type yarn is not supported/,
    );
    expect(() => parseLlamaConfig({ ...llama32, rope_scaling: { rope_type: 'llama3', factor: 8 } })).toThrow(
      /rope_scaling.low_freq_factor must be a positive number/,
    );
    expect(() => parseLlamaConfig([])).toThrow(/not a JSON object/);
  });
});

it('readLlamaConfig reads config.json from a source', async () => {
  const source = memoryModelSource('qwen3', { 'config.json': JSON.stringify(qwen3) });
  expect((await readLlamaConfig(source)).architecture).toBe('Qwen3ForCausalLM');
  await expect(readLlamaConfig(memoryModelSource('none', {}))).rejects.toThrow(
    'Model none has no config.json',
  );
});
