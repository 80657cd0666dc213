/** SiLU (swish): x * sigmoid(x). */
export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/** The SwiGLU MLP's middle: out = silu(gate) * up, elementwise over `gate.length` values. */
export function swiglu(out: Float32Array, gate: Float32Array, up: Float32Array): void {
  for (let i = 0; i < gate.length; i++) out[i] = silu(gate[i]) * up[i];
}
