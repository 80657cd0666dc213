/**
 * RoPE angles on the CPU, computed exactly as the CPU runtime does: inverse frequencies in
 * float32 step by step like transformers (default, linear and llama3 scaling), angle =
 * fround(pos * invFreq), cos/sin in double precision then stored as float32. The GPU gets a
 * (rows, headDim / 2) table of (cos, sin) per pass, so long positions lose no precision.
 */

/** Inverse frequencies [headDim / 2]: the same function the CPU runtime uses. */
export { ropeInvFreq } from '@cinder/model-format';

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
