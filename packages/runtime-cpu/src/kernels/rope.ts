/**
 * Rotary position embedding, Hugging Face convention ("rotate_half"): within each head of
 * `headDim` values, element i is rotated together with element i + headDim/2 (NOT adjacent
 * pairs as in llama2.c / GGUF "normal" mode), by angle pos * invFreq[i]:
 *
 *   out[i]        = x[i] * cos - x[i + half] * sin
 *   out[i + half] = x[i + half] * cos + x[i] * sin
 */
import type { RopeScaling } from '@cinder/model-format';

/**
 * The per-pair inverse frequencies [headDim / 2], computed in float32 step by step as
 * transformers' `_compute_default_rope_parameters` / `_compute_llama3_parameters` do.
 */
export function ropeInvFreq(headDim: number, theta: number, scaling: RopeScaling | null): Float32Array {
  const f = Math.fround;
  const half = headDim / 2;
  const invFreq = new Float32Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = f(1 / f(theta ** f((2 * i) / headDim)));
  if (scaling?.type === 'linear') {
    for (let i = 0; i < half; i++) invFreq[i] = f(invFreq[i] / scaling.factor);
  }
  if (scaling?.type === 'llama3') {
    const { factor, lowFreqFactor, highFreqFactor, originalMaxPositionEmbeddings: oldContext } = scaling;
    const lowFreqWavelen = f(oldContext / lowFreqFactor);
    const highFreqWavelen = f(oldContext / highFreqFactor);
    for (let i = 0; i < half; i++) {
      const wavelen = f((2 * Math.PI) / invFreq[i]);
      if (wavelen > lowFreqWavelen) {
        invFreq[i] = f(invFreq[i] / factor); // low frequencies: interpolate fully
      } else if (wavelen >= highFreqWavelen) {
        // medium frequencies: blend the scaled and unscaled frequency
        const smooth = f(f(f(oldContext / wavelen) - lowFreqFactor) / (highFreqFactor - lowFreqFactor));
        invFreq[i] = f(f(f(f(1 - smooth) * invFreq[i]) / factor) + f(smooth * invFreq[i]));
      } // high frequencies: unchanged
    }
  }
  return invFreq;
}

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
