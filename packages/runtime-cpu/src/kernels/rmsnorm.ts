/**
 * RMSNorm: out = x / sqrt(mean(x^2) + eps) * weight, over `weight.length` values.
 * (Hugging Face LlamaRMSNorm / Qwen2RMSNorm / Qwen3RMSNorm, in float32.)
 */
export function rmsnorm(out: Float32Array, x: Float32Array, weight: Float32Array, eps: number): void {
  const size = weight.length;
  let sumOfSquares = 0;
  for (let i = 0; i < size; i++) sumOfSquares += x[i] * x[i];
  const scale = 1 / Math.sqrt(sumOfSquares / size + eps);
  for (let i = 0; i < size; i++) out[i] = x[i] * scale * weight[i];
}

/**
 * RMSNorm of each head of `x` on its own, in place: `x` holds `numHeads` vectors of
 * `weight.length` (head_dim) values. Qwen3's q_norm / k_norm.
 */
export function rmsnormHeads(x: Float32Array, weight: Float32Array, numHeads: number, eps: number): void {
  const headDim = weight.length;
  for (let h = 0; h < numHeads; h++) {
    const start = h * headDim;
    let sumOfSquares = 0;
    for (let i = 0; i < headDim; i++) sumOfSquares += x[start + i] * x[start + i];
    const scale = 1 / Math.sqrt(sumOfSquares / headDim + eps);
    for (let i = 0; i < headDim; i++) x[start + i] = x[start + i] * scale * weight[i];
  }
}
