/** Softmax of the first `size` values of `x`, in place; the max is subtracted first so exp cannot overflow. */
export function softmax(x: Float32Array, size: number = x.length): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < size; i++) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let i = 0; i < size; i++) {
    x[i] = Math.exp(x[i] - max);
    sum += x[i];
  }
  for (let i = 0; i < size; i++) x[i] /= sum;
}
