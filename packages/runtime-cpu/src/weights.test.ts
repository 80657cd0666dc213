import {
  decodeBf16,
  encodeBf16,
  memoryModelSource,
  openSafetensors,
  parseLlamaConfig,
} from '@cinder/model-format';
import { expect, it } from 'vitest';
import { randomModelConfig, randomModelFiles } from './testing/random-model.ts';
import { loadWeights, weightTensors } from './weights.ts';

it('weightTensors lists Hugging Face names and shapes per architecture', () => {
  const qwen3 = parseLlamaConfig(
    randomModelConfig({ architecture: 'Qwen3ForCausalLM', numLayers: 1, headDim: 16 }),
  );
  expect(weightTensors(qwen3)).toEqual([
    { name: 'model.embed_tokens.weight', shape: [64, 32] },
    { name: 'model.layers.0.input_layernorm.weight', shape: [32] },
    { name: 'model.layers.0.self_attn.q_proj.weight', shape: [64, 32] },
    { name: 'model.layers.0.self_attn.k_proj.weight', shape: [32, 32] },
    { name: 'model.layers.0.self_attn.v_proj.weight', shape: [32, 32] },
    { name: 'model.layers.0.self_attn.q_norm.weight', shape: [16] },
    { name: 'model.layers.0.self_attn.k_norm.weight', shape: [16] },
    { name: 'model.layers.0.self_attn.o_proj.weight', shape: [32, 64] },
    { name: 'model.layers.0.post_attention_layernorm.weight', shape: [32] },
    { name: 'model.layers.0.mlp.gate_proj.weight', shape: [48, 32] },
    { name: 'model.layers.0.mlp.up_proj.weight', shape: [48, 32] },
    { name: 'model.layers.0.mlp.down_proj.weight', shape: [32, 48] },
    { name: 'model.norm.weight', shape: [32] },
    { name: 'lm_head.weight', shape: [64, 32] },
  ]);
  const qwen2 = parseLlamaConfig(
    randomModelConfig({ architecture: 'Qwen2ForCausalLM', tieWordEmbeddings: true }),
  );
  const names = weightTensors(qwen2).map((tensor) => tensor.name);
  expect(names).toContain('model.layers.1.self_attn.k_proj.bias');
  expect(names).not.toContain('model.layers.1.self_attn.o_proj.bias');
  expect(names).not.toContain('lm_head.weight');
});

it('loadWeights reads BF16 tensors exactly and shares the embedding when tied', async () => {
  const f32 = randomModelFiles({ tieWordEmbeddings: true });
  const bf16 = randomModelFiles({ tieWordEmbeddings: true, dtype: 'BF16' });
  const config = parseLlamaConfig(JSON.parse(f32['config.json'] as string));
  const exact = await loadWeights(await openSafetensors(memoryModelSource('a', f32)), config);
  const rounded = await loadWeights(await openSafetensors(memoryModelSource('b', bf16)), config);
  expect([...rounded.layers[1].wDown]).toEqual([...decodeBf16(encodeBf16(exact.layers[1].wDown))]);
  expect(rounded.lmHead).toBe(rounded.tokenEmbedding);
  expect(exact.layers[0].bq).toBeNull();
});
