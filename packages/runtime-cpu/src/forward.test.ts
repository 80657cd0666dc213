import { memoryModelSource, openSafetensors, parseLlamaConfig } from '@cinder/model-format';
import { expect, it } from 'vitest';
import { createTransformer, forward } from './forward.ts';
import { createRunState, KvCache } from './state.ts';
import { type RandomModelOptions, randomModelFiles } from './testing/random-model.ts';
import { loadWeights } from './weights.ts';

const tokens = [5, 17, 3, 42, 9, 60, 1, 33, 12, 0, 63, 8];

/**
 * Golden logits (first 6 of the vocabulary at positions 3 and 11) from an independent float64
 * numpy implementation of the Hugging Face modeling code (whole-sequence matrices, rotate_half,
 * repeat_kv, causal mask), run on the same seeded random checkpoints.
 */
const goldens: [string, RandomModelOptions, number[], number[]][] = [
  [
    'Llama',
    {},
    [0.765221, -0.616391, -1.102396, -0.832378, 0.123951, -0.327213],
    [-0.408516, -0.474567, 1.068594, -1.663855, 0.4945, 0.741946],
  ],
  [
    'Llama, tied, biased, llama3 rope',
    {
      tieWordEmbeddings: true,
      attentionBias: true,
      extraConfig: {
        rope_scaling: {
          rope_type: 'llama3',
          factor: 8,
          low_freq_factor: 1,
          high_freq_factor: 4,
          original_max_position_embeddings: 16,
        },
      },
    },
    [0.357205, -0.373222, 0.471652, 0.300848, -1.384484, 0.858782],
    [-0.08263, -0.097314, 0.475299, 0.338466, -1.665166, 0.379621],
  ],
  [
    'Qwen2',
    { architecture: 'Qwen2ForCausalLM', numKvHeads: 1 },
    [0.218228, -1.781206, -0.842449, 0.73934, -0.201929, 0.687294],
    [0.003441, -0.169433, 0.026286, -0.084683, -0.715233, 0.131946],
  ],
  [
    'Qwen3 (BF16 weights)',
    { architecture: 'Qwen3ForCausalLM', headDim: 16, dtype: 'BF16' },
    [0.026506, -0.192144, 0.00056, 0.833054, -0.414145, -0.460597],
    [-0.975138, -0.224631, -0.326882, 0.954454, 0.741571, -0.522433],
  ],
];

it.each(goldens)('forward matches the reference for %s', async (_, options, atPosition3, atPosition11) => {
  const files = randomModelFiles({ ...options, seed: 11 });
  const config = parseLlamaConfig(JSON.parse(files['config.json'] as string));
  const weights = await loadWeights(await openSafetensors(memoryModelSource('golden', files)), config);
  const model = createTransformer(config, weights);
  const state = createRunState(config, 16);
  const cache = new KvCache(1, config.numLayers, config.numKvHeads * config.headDim, 16);
  cache.reserve(tokens.length);
  tokens.forEach((token, pos) => {
    const logits = forward(model, state, cache, token, pos, pos === 3 || pos === 11);
    const golden = pos === 3 ? atPosition3 : pos === 11 ? atPosition11 : null;
    if (golden) for (const [i, value] of golden.entries()) expect(logits![i]).toBeCloseTo(value, 5);
    else expect(logits).toBeNull();
    cache.length++;
  });
});
