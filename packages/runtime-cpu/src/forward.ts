/**
 * The forward pass of a Llama-family decoder for one token at one position, in the order of
 * Hugging Face's LlamaDecoderLayer (Qwen2/Qwen3 differ only by q/k/v bias and q/k norm).
 * Prefill calls it once per prompt position; this is the reference every other runtime matches.
 */
import type { LlamaFamilyConfig } from '@cinder/model-format';
import { attention } from './kernels/attention.ts';
import { embedding } from './kernels/embedding.ts';
import { matmul } from './kernels/matmul.ts';
import { residual } from './kernels/residual.ts';
import { rmsnorm, rmsnormHeads } from './kernels/rmsnorm.ts';
import { rope, ropeCosSin, ropeInvFreq } from './kernels/rope.ts';
import { swiglu } from './kernels/swiglu.ts';
import type { KvCache, RunState } from './state.ts';
import type { TransformerWeights } from './weights.ts';

export interface Transformer {
  readonly config: LlamaFamilyConfig;
  readonly weights: TransformerWeights;
  /** RoPE inverse frequencies (headDim / 2), scaling applied. */
  readonly invFreq: Float32Array;
}

export function createTransformer(config: LlamaFamilyConfig, weights: TransformerWeights): Transformer {
  return { config, weights, invFreq: ropeInvFreq(config.headDim, config.ropeTheta, config.ropeScaling) };
}

/**
 * Runs `token` at position `pos` (= cache.length: the cache holds positions [0, pos) and room
 * for one more must be reserved), storing its keys and values in the cache. When `wantLogits`
 * it returns the logits in `state.logits` (overwritten by the next call); otherwise null.
 */
export function forward(
  model: Transformer,
  state: RunState,
  cache: KvCache,
  token: number,
  pos: number,
  wantLogits: boolean,
): Float32Array | null {
  const { config, weights } = model;
  const {
    hiddenSize: hidden,
    intermediateSize: inter,
    numHeads,
    numKvHeads,
    headDim,
    rmsNormEps: eps,
  } = config;
  const qDim = numHeads * headDim;
  const kvDim = numKvHeads * headDim;
  const s = state;

  embedding(s.x, weights.tokenEmbedding, token, hidden);
  ropeCosSin(s.cos, s.sin, model.invFreq, pos);

  for (let l = 0; l < config.numLayers; l++) {
    const w = weights.layers[l];

    // Attention: normalise, project to q, k, v (+ bias), Qwen3's per-head norm, rotate q and k.
    rmsnorm(s.xb, s.x, w.inputNorm, eps);
    matmul(s.q, s.xb, w.wq, hidden, qDim, w.bq);
    matmul(s.k, s.xb, w.wk, hidden, kvDim, w.bk);
    matmul(s.v, s.xb, w.wv, hidden, kvDim, w.bv);
    if (w.qNorm && w.kNorm) {
      rmsnormHeads(s.q, w.qNorm, numHeads, eps);
      rmsnormHeads(s.k, w.kNorm, numKvHeads, eps);
    }
    rope(s.q, numHeads, headDim, s.cos, s.sin);
    rope(s.k, numKvHeads, headDim, s.cos, s.sin);

    // Cache this position's key and value, then attend over positions [0, pos].
    cache.store(l, pos, s.k, s.v);
    attention(s.attentionOut, s.q, cache.keys[l], cache.values[l], pos + 1, config, s.scores);
    matmul(s.xb2, s.attentionOut, w.wo, qDim, hidden, w.bo);
    residual(s.x, s.xb2);

    // MLP: normalise, down(silu(gate(x)) * up(x)).
    rmsnorm(s.xb, s.x, w.postAttentionNorm, eps);
    matmul(s.hb, s.xb, w.wGate, hidden, inter);
    matmul(s.hb2, s.xb, w.wUp, hidden, inter);
    swiglu(s.hb, s.hb, s.hb2);
    matmul(s.xb2, s.hb, w.wDown, inter, hidden);
    residual(s.x, s.xb2);
  }

  if (!wantLogits) return null;
  rmsnorm(s.x, s.x, weights.finalNorm, eps);
  matmul(s.logits, s.x, weights.lmHead, hidden, config.vocabSize);
  return s.logits;
}
