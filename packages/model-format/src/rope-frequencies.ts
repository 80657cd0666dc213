/**
 * RoPE inverse frequencies from config.json's `rope_theta` and `rope_scaling`, shared by every runtime so
 * their rotations agree bit for bit.
 */
import type { RopeScaling } from './llama-config.ts';

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
