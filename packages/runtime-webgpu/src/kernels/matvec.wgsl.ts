/**
 * Matrix-vector product for decode (a few input rows): a workgroup of 64 threads computes
 * R = 4 weight rows for up to B = 4 input rows (grid z walks groups of input rows). Threads split
 * K in vec4 steps, so each weight is read once per group of input rows; partial sums are
 * reduced in shared memory (after a subgroup add, where the device has subgroups). The reference
 * is runtime-cpu's `matmulNaive`.
 */
import {
  epilogueWgsl,
  inputAccess,
  inverseRms,
  type MatmulVariant,
  matmulBindings,
} from './matmul-parts.wgsl.ts';

export const MATVEC_ROWS_PER_GROUP = 4;
export const MATVEC_OUTPUTS_PER_GROUP = 4;

/**
 * `subgroups`: partial sums are first added within each subgroup, and only the per-subgroup sums
 * go through shared memory (one barrier instead of log2(64)); the device must have subgroups.
 */
export function matvecWgsl(v: MatmulVariant, subgroups = false): string {
  const pair = v.epilogue === 'swiglu';
  const slots = MATVEC_ROWS_PER_GROUP * MATVEC_OUTPUTS_PER_GROUP;
  const sums = pair ? 2 * slots : slots;
  return `${subgroups ? 'enable subgroups;\n' : ''}${matmulBindings(v)}
${inputAccess(v)}
${epilogueWgsl(v)}

const R = ${MATVEC_OUTPUTS_PER_GROUP}u;
const B = ${MATVEC_ROWS_PER_GROUP}u;
const WG = 64u;
var<workgroup> partial: array<f32, ${sums * 64}>;
var<workgroup> scales: array<f32, B>;

@compute @workgroup_size(64)
fn main(
  @builtin(workgroup_id) wg: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) tid: u32,${subgroups ? '\n  @builtin(subgroup_id) sg_id: u32,\n  @builtin(num_subgroups) sg_count: u32,' : ''}
) {
  let n0 = (wg.x + wg.y * groups.x) * R;
  let b0 = wg.z * B;
  let K = dims.k;
  let N = dims.n;
  let rows = pass_.${v.rows};
  let last_row = max(rows, 1u) - 1u;
${v.norm ? (subgroups ? subgroupNorm : treeNorm) : ''}
  var acc: array<f32, ${slots}>;
${pair ? `  var acc_up: array<f32, ${slots}>;` : ''}
  for (var k = tid * 4u; k < K; k += WG * 4u) {
    var xs: array<vec4<f32>, B>;
    for (var j = 0u; j < B; j++) { xs[j] = x4(min(b0 + j, last_row), k, ${!v.norm ? '1.0' : 'scales[j]'}); }
    for (var r = 0u; r < R; r++) {
      let n = min(n0 + r, N - 1u);
      let w = w_load4(n, k);
${pair ? '      let u = u_load4(n, k);' : ''}
      for (var j = 0u; j < B; j++) {
        acc[r * B + j] += dot(w, xs[j]);
${pair ? '        acc_up[r * B + j] += dot(u, xs[j]);' : ''}
      }
    }
  }
${subgroups ? subgroupSums(slots, pair) : treeSums(slots, sums, pair)}
}`;
}

const treeNorm = `  for (var j = 0u; j < B; j++) {
    let b = min(b0 + j, last_row);
    var squares = 0.0;
    for (var k = tid * 4u; k < K; k += WG * 4u) { let v = x[(b * K + k) / 4u]; squares += dot(v, v); }
    partial[tid] = squares;
    workgroupBarrier();
    for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
      if (tid < stride) { partial[tid] += partial[tid + stride]; }
      workgroupBarrier();
    }
    if (tid == 0u) { scales[j] = ${inverseRms('partial[0]')}; }
    workgroupBarrier();
  }`;

const subgroupNorm = `  for (var j = 0u; j < B; j++) {
    let b = min(b0 + j, last_row);
    var squares = 0.0;
    for (var k = tid * 4u; k < K; k += WG * 4u) { let v = x[(b * K + k) / 4u]; squares += dot(v, v); }
    let part = subgroupAdd(squares);
    if (subgroupElect()) { partial[sg_id] = part; }
    workgroupBarrier();
    if (tid == 0u) {
      var total = 0.0;
      for (var g = 0u; g < sg_count; g++) { total += partial[g]; }
      scales[j] = ${inverseRms('total')};
    }
    workgroupBarrier();
  }`;

function treeSums(slots: number, sums: number, pair: boolean): string {
  return `  for (var i = 0u; i < ${slots}u; i++) {
    partial[i * WG + tid] = acc[i];
${pair ? `    partial[(i + ${slots}u) * WG + tid] = acc_up[i];` : ''}
  }
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (tid < stride) {
      for (var i = 0u; i < ${sums}u; i++) { partial[i * WG + tid] += partial[i * WG + tid + stride]; }
    }
    workgroupBarrier();
  }
  if (tid < ${slots}u) {
    let n = n0 + tid / B;
    let b = b0 + tid % B;
    if (n < N && b < rows) {
      epilogue(b, n, partial[tid * WG], ${pair ? `partial[(tid + ${slots}u) * WG]` : '0.0'});
    }
  }`;
}

/** Each sum is added within subgroups; thread i < slots then adds slot i's per-subgroup sums in order. */
function subgroupSums(slots: number, pair: boolean): string {
  return `  for (var i = 0u; i < ${slots}u; i++) {
    let sum = subgroupAdd(acc[i]);
${pair ? '    let sum_up = subgroupAdd(acc_up[i]);' : ''}
    if (subgroupElect()) {
      partial[i * WG + sg_id] = sum;
${pair ? `      partial[(i + ${slots}u) * WG + sg_id] = sum_up;` : ''}
    }
  }
  workgroupBarrier();
  if (tid < ${slots}u) {
    var total = 0.0;
    var total_up = 0.0;
    for (var g = 0u; g < sg_count; g++) {
      total += partial[tid * WG + g];
${pair ? `      total_up += partial[(tid + ${slots}u) * WG + g];` : ''}
    }
    let n = n0 + tid / B;
    let b = b0 + tid % B;
    if (n < N && b < rows) { epilogue(b, n, total, total_up); }
  }`;
}

/**
 * The same product with one thread per weight row and no shared memory or barriers: slow on a
 * GPU (uncoalesced reads) but several times faster on CPU-emulated adapters such as SwiftShader,
 * where barriers are expensive. Chosen when the adapter is a fallback (CPU) adapter.
 */
export function matvecRowsWgsl(v: MatmulVariant): string {
  const pair = v.epilogue === 'swiglu';
  return `${matmulBindings(v)}
${inputAccess(v)}
${epilogueWgsl(v)}

const B = ${MATVEC_ROWS_PER_GROUP}u;

@compute @workgroup_size(64)
fn main(
  @builtin(global_invocation_id) id: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(workgroup_id) wg: vec3<u32>,
) {
  let K = dims.k;
  let rows = pass_.${v.rows};
  let n = id.x + wg.y * groups.x * 64u;
  let b0 = wg.z * B;
  if (n >= dims.n || b0 >= rows) { return; }
  let count = min(B, rows - b0);
  var scales = vec4<f32>(1.0);
${
  v.norm
    ? `  for (var j = 0u; j < count; j++) {
    var squares = 0.0;
    for (var k = 0u; k < K; k += 4u) { let x = x[((b0 + j) * K + k) / 4u]; squares += dot(x, x); }
    scales[j] = ${inverseRms('squares')};
  }`
    : ''
}
  var acc = vec4<f32>(0.0);
${pair ? '  var acc_up = vec4<f32>(0.0);' : ''}
  for (var k = 0u; k < K; k += 4u) {
    let w = w_load4(n, k);
${pair ? '    let u = u_load4(n, k);' : ''}
    for (var j = 0u; j < count; j++) {
      let xv = x4(b0 + j, k, scales[j]);
      acc[j] += dot(w, xv);
${pair ? '      acc_up[j] += dot(u, xv);' : ''}
    }
  }
  for (var j = 0u; j < count; j++) { epilogue(b0 + j, n, acc[j], ${pair ? 'acc_up[j]' : '0.0'}); }
}`;
}
