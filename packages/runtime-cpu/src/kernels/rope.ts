/**
 * Rotary position embedding, Hugging Face convention ("rotate_half"): within each head of
 * `headDim` values, element i is rotated together with element i + headDim/2 (NOT adjacent
 * pairs as in llama2.c / GGUF "normal" mode), by angle pos * invFreq[i]:
 *
 *   out[i]        = x[i] * cos - x[i + half] * sin
 *   out[i + half] = x[i + half] * cos + x[i] * sin
 */

/** The per-pair inverse frequencies (llama3 / linear scaling included) live in model-format, shared with the GPU. */
export { ropeInvFreq } from '@cinder/model-format';

/** cos and sin [headDim / 2] of the rotation angles at position `pos` (angle rounded to float32 like torch). */
export function ropeCosSin(cos: Float32Array, sin: Float32Array, invFreq: Float32Array, pos: number): void {
  for (let i = 0; i < invFreq.length; i++) {
    const angle = Math.fround(pos * invFreq[i]);
    cos[i] = Math.cos(angle);
    sin[i] = Math.sin(angle);
  }
}

/** Rotates each of the `numHeads` heads in `x` (numHeads * headDim values) in place. */
export function rope(
  x: Float32Array,
  numHeads: number,
  headDim: number,
  cos: Float32Array,
  sin: Float32Array,
): void {
  const half = headDim / 2;
  for (let h = 0; h < numHeads; h++) {
    const start = h * headDim;
    for (let i = 0; i < half; i++) {
      const x0 = x[start + i];
      const x1 = x[start + i + half];
      x[start + i] = x0 * cos[i] - x1 * sin[i];
      x[start + i + half] = x1 * cos[i] + x0 * sin[i];
    }
  }
}
