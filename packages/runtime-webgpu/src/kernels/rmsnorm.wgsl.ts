/**
 * RMSNorm of gathered rows: out[i] = x[rows[i]] / sqrt(mean(x^2) + eps) * weight, one workgroup
 * per output row (the final norm, run only on rows whose logits are wanted).
 * CPU twin: runtime-cpu `rmsnorm`. The same normalisation is fused into matmul's prologue.
 */
import { PASS_WGSL } from './pass.ts';
import { sumReduceWgsl } from './reduce.wgsl.ts';

export interface RmsnormShape {
  readonly hidden: number;
  readonly eps: number;
}

export function rmsnormWgsl({ hidden, eps }: RmsnormShape): string {
  return `${PASS_WGSL}
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> row_index: array<u32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
@group(0) @binding(4) var<storage, read_write> out: array<f32>;
${sumReduceWgsl('block_sum', 64)}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let i = wg.x;
  let src = row_index[min(i, arrayLength(&row_index) - 1u)] * ${hidden}u;
  var squares = 0.0;
  for (var k = tid; k < ${hidden}u; k += 64u) { squares += x[src + k] * x[src + k]; }
  let scale = inverseSqrt(block_sum(squares, tid) / ${hidden}.0 + ${eps.toExponential()});
  if (i >= pass_.logit_rows) { return; }
  for (var k = tid; k < ${hidden}u; k += 64u) { out[i * ${hidden}u + k] = x[src + k] * scale * weight[k]; }
}`;
}
