/**
 * Tiled matrix-matrix product for prefill: a workgroup of 8 x 8 threads computes a 32 x 32 tile
 * (32 input rows x 32 weight rows), each thread a 4 x 4 block, walking K in steps of 16 with both
 * operand tiles staged (dequantized) in shared memory. Same prologue / epilogue as matvec.
 */
import {
  epilogueWgsl,
  inputAccess,
  inverseRms,
  type MatmulVariant,
  matmulBindings,
} from './matmul-parts.wgsl.ts';

export const TILE = 32;

export function matmulTiledWgsl(v: MatmulVariant): string {
  const pair = v.epilogue === 'swiglu';
  const norm = v.norm;
  return `${matmulBindings(v)}
${inputAccess(v)}
${epilogueWgsl(v)}

const T = ${TILE}u;
const TK = 16u;
var<workgroup> xs: array<array<f32, 16>, ${TILE}>;
var<workgroup> ws: array<array<f32, 16>, ${TILE}>;
${pair ? `var<workgroup> us: array<array<f32, 16>, ${TILE}>;` : ''}
var<workgroup> scales: array<f32, ${TILE}>;
var<workgroup> squares: array<f32, 64>;

@compute @workgroup_size(8, 8)
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(local_invocation_id) lid: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,
) {
  let n0 = wg.x * T;
  let b0 = wg.y * T;
  let K = dims.k;
  let N = dims.n;
  let rows = pass_.${v.rows};
  let last_row = max(rows, 1u) - 1u;
${
  norm
    ? `  {
    // Two threads per row: each sums the squares of every other vec4 of it.
    let b = min(b0 + tid / 2u, last_row);
    var s = 0.0;
    for (var k = (tid % 2u) * 4u; k < K; k += 8u) { let v = x[(b * K + k) / 4u]; s += dot(v, v); }
    squares[tid] = s;
    workgroupBarrier();
    if (tid % 2u == 0u) { scales[tid / 2u] = ${inverseRms('(squares[tid] + squares[tid + 1u])')}; }
    workgroupBarrier();
  }`
    : ''
}
  var acc: array<f32, 16>;
${pair ? '  var acc_up: array<f32, 16>;' : ''}
  for (var k0 = 0u; k0 < K; k0 += TK) {
    for (var i = tid; i < T * 4u; i += 64u) {
      let r = i / 4u;
      let k = k0 + (i % 4u) * 4u;
      var xv = vec4<f32>(0.0);
      var wv = vec4<f32>(0.0);
${pair ? '      var uv = vec4<f32>(0.0);' : ''}
      if (k < K) {
        xv = x4(min(b0 + r, last_row), k, ${norm ? 'scales[r]' : '1.0'});
        let n = min(n0 + r, N - 1u);
        wv = w_load4(n, k);
${pair ? '        uv = u_load4(n, k);' : ''}
      }
      let c = (i % 4u) * 4u;
      xs[r][c] = xv.x; xs[r][c + 1u] = xv.y; xs[r][c + 2u] = xv.z; xs[r][c + 3u] = xv.w;
      ws[r][c] = wv.x; ws[r][c + 1u] = wv.y; ws[r][c + 2u] = wv.z; ws[r][c + 3u] = wv.w;
${pair ? '      us[r][c] = uv.x; us[r][c + 1u] = uv.y; us[r][c + 2u] = uv.z; us[r][c + 3u] = uv.w;' : ''}
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      for (var i = 0u; i < 4u; i++) {
        let a = xs[lid.y * 4u + i][kk];
        for (var j = 0u; j < 4u; j++) {
          acc[i * 4u + j] += a * ws[lid.x * 4u + j][kk];
${pair ? '          acc_up[i * 4u + j] += a * us[lid.x * 4u + j][kk];' : ''}
        }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) {
      let b = b0 + lid.y * 4u + i;
      let n = n0 + lid.x * 4u + j;
      if (b < rows && n < N) { epilogue(b, n, acc[i * 4u + j], ${pair ? 'acc_up[i * 4u + j]' : '0.0'}); }
    }
  }
}`;
}
