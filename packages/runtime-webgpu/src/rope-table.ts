/**
 * RoPE angles on the CPU, computed exactly as the CPU runtime does: inverse frequencies in
 * float32 step by step like transformers (default, linear and llama3 scaling), angle =
 * fround(pos * invFreq), cos/sin in double precision then stored as float32. The GPU gets a
 * (rows, headDim / 2) table of (cos, sin) per pass, so long positions lose no precision.
 */
import type { RopeScaling } from '@cinder/model-format';

/** Inverse frequencies [headDim / 2], identical to runtime-cpu's `ropeInvFreq`. */
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
        const smooth = f(f(f(oldContext / wavelen) - lowFreqFactor) / (highFreqFactor - lowFreqFactor));
        invFreq[i] = f(f(f(f(1 - smooth) * invFreq[i]) / factor) + f(smooth * invFreq[i]));
      } // high frequencies: unchanged
    }
  }
  return invFreq;
}

/** Writes (cos, sin) pairs for each position into `table` (positions.length * invFreq.length * 2). */
export function fillRopeTable(
  table: Float32Array,
  invFreq: Float32Array,
  positions: ArrayLike<number>,
): void {
  const half = invFreq.length;
  for (let r = 0; r < positions.length; r++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(positions[r] * invFreq[i]);
      table[(r * half + i) * 2] = Math.cos(angle);
      table[(r * half + i) * 2 + 1] = Math.sin(angle);
    }
  }
}
