/**
 * out = W x (+ bias): `x` is a vector of `inDim`, `W` is row-major [outDim, inDim] as Hugging Face
 * stores `nn.Linear` weights, so each output is the dot product of one weight row with x.
 * Almost all of the forward pass's time is spent here.
 */

/** The reference: one plain dot product per output row. */
export function matmulNaive(
  out: Float32Array,
  x: Float32Array,
  w: Float32Array,
  inDim: number,
  outDim: number,
  bias: Float32Array | null = null,
): void {
  for (let i = 0; i < outDim; i++) {
    let sum = 0;
    const row = i * inDim;
    for (let j = 0; j < inDim; j++) sum += w[row + j] * x[j];
    out[i] = bias ? sum + bias[i] : sum;
  }
}

/**
 * The same result, faster: four rows at a time, so each x[j] is loaded once for four
 * multiply-adds and the four sums pipeline independently. Leftover rows use the naive loop.
 */
export function matmul(
  out: Float32Array,
  x: Float32Array,
  w: Float32Array,
  inDim: number,
  outDim: number,
  bias: Float32Array | null = null,
): void {
  let i = 0;
  for (; i + 4 <= outDim; i += 4) {
    const r0 = i * inDim;
    const r1 = r0 + inDim;
    const r2 = r1 + inDim;
    const r3 = r2 + inDim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < inDim; j++) {
      const xj = x[j];
      s0 += w[r0 + j] * xj;
      s1 += w[r1 + j] * xj;
      s2 += w[r2 + j] * xj;
      s3 += w[r3 + j] * xj;
    }
    if (bias) {
      s0 += bias[i];
      s1 += bias[i + 1];
      s2 += bias[i + 2];
      s3 += bias[i + 3];
    }
    out[i] = s0;
    out[i + 1] = s1;
    out[i + 2] = s2;
    out[i + 3] = s3;
  }
  for (; i < outDim; i++) {
    let sum = 0;
    const row = i * inDim;
    for (let j = 0; j < inDim; j++) sum += w[row + j] * x[j];
    out[i] = bias ? sum + bias[i] : sum;
  }
}
