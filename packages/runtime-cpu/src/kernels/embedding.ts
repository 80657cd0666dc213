/** out = row `token` of the embedding table [vocabSize, dim]. */
export function embedding(out: Float32Array, table: Float32Array, token: number, dim: number): void {
  const vocabSize = table.length / dim;
  if (!Number.isInteger(token) || token < 0 || token >= vocabSize) {
    throw new RangeError(`Token id ${token} is outside the vocabulary [0, ${vocabSize})`);
  }
  out.set(table.subarray(token * dim, (token + 1) * dim));
}
