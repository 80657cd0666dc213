/**
 * Causal multi-head attention of one query position over the cached keys and values of
 * positions [0, length), with grouped-query attention: query head h reads key/value head
 * h / (numHeads / numKvHeads), as Hugging Face's `repeat_kv` arranges it.
 */
import { softmax } from './softmax.ts';

export interface AttentionShape {
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
}

/**
 * out [numHeads * headDim] = per head, softmax(q . k_t / sqrt(headDim)) weighted sum of v_t.
 * `keys` / `values` hold one row of numKvHeads * headDim per position; `scores` has room for `length`.
 */
export function attention(
  out: Float32Array,
  q: Float32Array,
  keys: Float32Array,
  values: Float32Array,
  length: number,
  shape: AttentionShape,
  scores: Float32Array,
): void {
  const { numHeads, numKvHeads, headDim } = shape;
  const kvDim = numKvHeads * headDim;
  const group = numHeads / numKvHeads;
  const scale = 1 / Math.sqrt(headDim);
  for (let h = 0; h < numHeads; h++) {
    const qStart = h * headDim;
    const kvStart = Math.floor(h / group) * headDim;

    for (let t = 0; t < length; t++) {
      const kStart = t * kvDim + kvStart;
      let dot = 0;
      for (let i = 0; i < headDim; i++) dot += q[qStart + i] * keys[kStart + i];
      scores[t] = dot * scale;
    }
    softmax(scores, length);

    out.fill(0, qStart, qStart + headDim);
    for (let t = 0; t < length; t++) {
      const vStart = t * kvDim + kvStart;
      const weight = scores[t];
      for (let i = 0; i < headDim; i++) out[qStart + i] += weight * values[vStart + i];
    }
  }
}
