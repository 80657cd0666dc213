/**
 * The model's parameters on the GPU, and which Hugging Face tensors fill them. Shapes use
 *   hidden, inter, vocab, headDim, qDim = numHeads * headDim, kvDim = numKvHeads * headDim.
 * q/k/v projections are stacked into one [qDim + 2 kvDim, hidden] matrix (and their biases into
 * one vector) so a single kernel computes all three.
 */
import type { LlamaFamilyConfig } from '@cinder/model-format';
import type { WeightDtype } from './format.ts';
import type { GpuMatrix } from './gpu-matrix.ts';

export interface GpuLayerWeights {
  readonly inputNorm: GPUBuffer; // (hidden)                 input_layernorm
  readonly qkv: GpuMatrix; // (qDim + 2 kvDim, hidden)       q_proj ; k_proj ; v_proj
  readonly qkvBias: GPUBuffer | null; // (qDim + 2 kvDim)    their biases (attentionBias)
  readonly qNorm: GPUBuffer | null; // (headDim)             q_norm (qkNorm)
  readonly kNorm: GPUBuffer | null; // (headDim)             k_norm (qkNorm)
  readonly o: GpuMatrix; // (hidden, qDim)                   o_proj
  readonly oBias: GPUBuffer | null; // (hidden)              o_proj.bias (outputBias)
  readonly postAttentionNorm: GPUBuffer; // (hidden)         post_attention_layernorm
  readonly gate: GpuMatrix; // (inter, hidden)               mlp.gate_proj
  readonly up: GpuMatrix; // (inter, hidden)                 mlp.up_proj
  readonly down: GpuMatrix; // (hidden, inter)               mlp.down_proj
}

export interface GpuWeights {
  readonly embedding: GpuMatrix; // (vocab, hidden)          embed_tokens
  readonly layers: readonly GpuLayerWeights[];
  readonly finalNorm: GPUBuffer; // (hidden)                 model.norm
  readonly lmHead: GpuMatrix; // (vocab, hidden)             lm_head, or the embedding when tied
}

/** A GPU matrix and the Hugging Face tensors stacked into it (row offset of each). */
export interface MatrixPlan {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  readonly parts: readonly { readonly tensor: string; readonly rowOffset: number; readonly rows: number }[];
}

export function layerPrefix(layer: number): string {
  return `model.layers.${layer}.`;
}

/** Every matrix of the model, in load order. */
export function matrixPlans(config: LlamaFamilyConfig): MatrixPlan[] {
  const { hiddenSize: hidden, intermediateSize: inter, vocabSize: vocab, headDim } = config;
  const qDim = config.numHeads * headDim;
  const kvDim = config.numKvHeads * headDim;
  const one = (name: string, rows: number, cols: number): MatrixPlan => ({
    name,
    rows,
    cols,
    parts: [{ tensor: name, rowOffset: 0, rows }],
  });
  const plans = [one('model.embed_tokens.weight', vocab, hidden)];
  for (let layer = 0; layer < config.numLayers; layer++) {
    const p = layerPrefix(layer);
    plans.push({
      name: `${p}self_attn.qkv_proj.weight`,
      rows: qDim + 2 * kvDim,
      cols: hidden,
      parts: [
        { tensor: `${p}self_attn.q_proj.weight`, rowOffset: 0, rows: qDim },
        { tensor: `${p}self_attn.k_proj.weight`, rowOffset: qDim, rows: kvDim },
        { tensor: `${p}self_attn.v_proj.weight`, rowOffset: qDim + kvDim, rows: kvDim },
      ],
    });
    plans.push(one(`${p}self_attn.o_proj.weight`, hidden, qDim));
    plans.push(one(`${p}mlp.gate_proj.weight`, inter, hidden));
    plans.push(one(`${p}mlp.up_proj.weight`, inter, hidden));
    plans.push(one(`${p}mlp.down_proj.weight`, hidden, inter));
  }
  if (!config.tieWordEmbeddings) plans.push(one('lm_head.weight', vocab, hidden));
  return plans;
}

/** Vectors of one layer: norm weights and biases, with their lengths (null when absent). */
export function layerVectors(config: LlamaFamilyConfig, layer: number) {
  const p = layerPrefix(layer);
  const qDim = config.numHeads * config.headDim;
  const kvDim = config.numKvHeads * config.headDim;
  return {
    inputNorm: `${p}input_layernorm.weight`,
    postAttentionNorm: `${p}post_attention_layernorm.weight`,
    qkvBias: config.attentionBias
      ? [
          { tensor: `${p}self_attn.q_proj.bias`, length: qDim },
          { tensor: `${p}self_attn.k_proj.bias`, length: kvDim },
          { tensor: `${p}self_attn.v_proj.bias`, length: kvDim },
        ]
      : null,
    qNorm: config.qkNorm ? `${p}self_attn.q_norm.weight` : null,
    kNorm: config.qkNorm ? `${p}self_attn.k_norm.weight` : null,
    oBias: config.outputBias ? `${p}self_attn.o_proj.bias` : null,
  };
}

/** Storage dtype of the weights: as requested, or from the checkpoint (16-bit stays 16-bit). */
export function chooseDtype(requested: string | undefined, stored: string): WeightDtype {
  if (requested === undefined) return stored === 'F32' ? 'f32' : 'f16';
  if (requested === 'f32' || requested === 'f16' || requested === 'q8' || requested === 'q4')
    return requested;
  throw new RangeError(
    `The webgpu runtime stores weights as f32, f16, q8 or q4; dtype ${requested} is not one`,
  );
}
