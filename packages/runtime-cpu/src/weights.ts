/**
 * The model's parameters, one float32 array per tensor (row-major, Hugging Face layout:
 * a linear layer's weight is [out, in]). Shapes use
 *   hidden = hiddenSize, inter = intermediateSize, vocab = vocabSize, headDim,
 *   qDim = numHeads * headDim, kvDim = numKvHeads * headDim.
 */
import type { LlamaFamilyConfig, TensorStore } from '@cinder/model-format';

export interface LayerWeights {
  readonly inputNorm: Float32Array; // (hidden)            input_layernorm
  readonly wq: Float32Array; // (qDim, hidden)             self_attn.q_proj
  readonly wk: Float32Array; // (kvDim, hidden)            self_attn.k_proj
  readonly wv: Float32Array; // (kvDim, hidden)            self_attn.v_proj
  readonly bq: Float32Array | null; // (qDim)              q_proj.bias  (attentionBias)
  readonly bk: Float32Array | null; // (kvDim)             k_proj.bias  (attentionBias)
  readonly bv: Float32Array | null; // (kvDim)             v_proj.bias  (attentionBias)
  readonly qNorm: Float32Array | null; // (headDim)        self_attn.q_norm (qkNorm)
  readonly kNorm: Float32Array | null; // (headDim)        self_attn.k_norm (qkNorm)
  readonly wo: Float32Array; // (hidden, qDim)             self_attn.o_proj
  readonly bo: Float32Array | null; // (hidden)            o_proj.bias  (outputBias)
  readonly postAttentionNorm: Float32Array; // (hidden)    post_attention_layernorm
  readonly wGate: Float32Array; // (inter, hidden)         mlp.gate_proj
  readonly wUp: Float32Array; // (inter, hidden)           mlp.up_proj
  readonly wDown: Float32Array; // (hidden, inter)         mlp.down_proj
}

export interface TransformerWeights {
  readonly tokenEmbedding: Float32Array; // (vocab, hidden)  model.embed_tokens
  readonly layers: readonly LayerWeights[];
  readonly finalNorm: Float32Array; // (hidden)              model.norm
  readonly lmHead: Float32Array; // (vocab, hidden)          lm_head, or tokenEmbedding when tied
}

type LayerKey = keyof LayerWeights;

/** Hugging Face tensor name (after `model.layers.N.`) of each layer field. */
const LAYER_TENSORS: Record<LayerKey, string> = {
  inputNorm: 'input_layernorm.weight',
  wq: 'self_attn.q_proj.weight',
  wk: 'self_attn.k_proj.weight',
  wv: 'self_attn.v_proj.weight',
  bq: 'self_attn.q_proj.bias',
  bk: 'self_attn.k_proj.bias',
  bv: 'self_attn.v_proj.bias',
  qNorm: 'self_attn.q_norm.weight',
  kNorm: 'self_attn.k_norm.weight',
  wo: 'self_attn.o_proj.weight',
  bo: 'self_attn.o_proj.bias',
  postAttentionNorm: 'post_attention_layernorm.weight',
  wGate: 'mlp.gate_proj.weight',
  wUp: 'mlp.up_proj.weight',
  wDown: 'mlp.down_proj.weight',
};

/** Shape of each layer field, or null when this model has no such tensor. */
function layerShapes(config: LlamaFamilyConfig): Record<LayerKey, number[] | null> {
  const { hiddenSize: hidden, intermediateSize: inter, headDim } = config;
  const qDim = config.numHeads * headDim;
  const kvDim = config.numKvHeads * headDim;
  const qkvBias = config.attentionBias;
  return {
    inputNorm: [hidden],
    wq: [qDim, hidden],
    wk: [kvDim, hidden],
    wv: [kvDim, hidden],
    bq: qkvBias ? [qDim] : null,
    bk: qkvBias ? [kvDim] : null,
    bv: qkvBias ? [kvDim] : null,
    qNorm: config.qkNorm ? [headDim] : null,
    kNorm: config.qkNorm ? [headDim] : null,
    wo: [hidden, qDim],
    bo: config.outputBias ? [hidden] : null,
    postAttentionNorm: [hidden],
    wGate: [inter, hidden],
    wUp: [inter, hidden],
    wDown: [hidden, inter],
  };
}

/** Every tensor the model needs, with its Hugging Face name and shape, in load order. */
export function weightTensors(config: LlamaFamilyConfig): { name: string; shape: number[] }[] {
  const { vocabSize: vocab, hiddenSize: hidden } = config;
  const tensors = [{ name: 'model.embed_tokens.weight', shape: [vocab, hidden] }];
  const shapes = layerShapes(config);
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const key of Object.keys(LAYER_TENSORS) as LayerKey[]) {
      const shape = shapes[key];
      if (shape) tensors.push({ name: `model.layers.${layer}.${LAYER_TENSORS[key]}`, shape });
    }
  }
  tensors.push({ name: 'model.norm.weight', shape: [hidden] });
  if (!config.tieWordEmbeddings) tensors.push({ name: 'lm_head.weight', shape: [vocab, hidden] });
  return tensors;
}

/**
 * Reads every tensor as float32, checking its shape; `onTensor` runs after each one.
 * Missing tensors, wrong shapes and unreadable dtypes fail with the tensor's name.
 */
export async function loadWeights(
  store: TensorStore,
  config: LlamaFamilyConfig,
  options: { signal?: AbortSignal; onTensor?: (name: string) => void } = {},
): Promise<TransformerWeights> {
  const loaded = new Map<string, Float32Array>();
  for (const { name, shape } of weightTensors(config)) {
    options.signal?.throwIfAborted();
    loaded.set(name, await store.readF32(name, { shape, signal: options.signal }));
    options.onTensor?.(name);
  }
  const tensor = (name: string): Float32Array => loaded.get(name)!;
  const shapes = layerShapes(config);
  const layers = Array.from({ length: config.numLayers }, (_, layer) => {
    const field = (key: LayerKey) =>
      shapes[key] ? tensor(`model.layers.${layer}.${LAYER_TENSORS[key]}`) : null;
    return {
      inputNorm: field('inputNorm')!,
      wq: field('wq')!,
      wk: field('wk')!,
      wv: field('wv')!,
      bq: field('bq'),
      bk: field('bk'),
      bv: field('bv'),
      qNorm: field('qNorm'),
      kNorm: field('kNorm'),
      wo: field('wo')!,
      bo: field('bo'),
      postAttentionNorm: field('postAttentionNorm')!,
      wGate: field('wGate')!,
      wUp: field('wUp')!,
      wDown: field('wDown')!,
    };
  });
  const tokenEmbedding = tensor('model.embed_tokens.weight');
  return {
    tokenEmbedding,
    layers,
    finalNorm: tensor('model.norm.weight'),
    lmHead: config.tieWordEmbeddings ? tokenEmbedding : tensor('lm_head.weight'),
  };
}
