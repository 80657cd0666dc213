/** The residual connection: x += delta, elementwise. */
export function residual(x: Float32Array, delta: Float32Array): void {
  for (let i = 0; i < x.length; i++) x[i] += delta[i];
}
