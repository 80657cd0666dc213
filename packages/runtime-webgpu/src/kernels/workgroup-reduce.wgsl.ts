/**
 * Workgroup-wide reductions for the sampler, in two interchangeable forms with the same functions
 * (`sum_f32`, `sum_u32`, `best_of`; every thread gets the result):
 *
 *   tree       shared-memory halving, log2(WG) barriers; runs everywhere
 *   subgroups  one subgroup operation, then each thread combines the per-subgroup results in
 *              `subgroup_id` order (fixed, so results are deterministic); two barriers
 *
 * Both expect `const WG`, and `wf` / `wu` workgroup arrays of WG entries, declared by the kernel.
 * The subgroup form also needs `subgroupSetup(...)` called at the top of the entry point.
 */

/** WGSL enable directives the reductions need (first in the module). */
export function reduceEnable(subgroups: boolean): string {
  return subgroups ? 'enable subgroups;\n' : '';
}

/** Extra entry-point parameters (builtins), and the line that records them. */
export function reduceBuiltins(subgroups: boolean): { params: string; setup: string } {
  return subgroups
    ? {
        params: ', @builtin(subgroup_id) subgroup_: u32, @builtin(num_subgroups) subgroups_: u32',
        setup: '  sg_id = subgroup_;\n  sg_count = subgroups_;',
      }
    : { params: '', setup: '' };
}

export function reduceWgsl(subgroups: boolean): string {
  return subgroups ? SUBGROUP_REDUCE : TREE_REDUCE;
}

const TREE_REDUCE = /* wgsl */ `
fn sum_f32(v: f32, tid: u32) -> f32 {
  wf[tid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (tid < s) { wf[tid] += wf[tid + s]; }
    workgroupBarrier();
  }
  let total = wf[0];
  workgroupBarrier();
  return total;
}
fn sum_u32(v: u32, tid: u32) -> u32 {
  wu[tid] = v;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (tid < s) { wu[tid] += wu[tid + s]; }
    workgroupBarrier();
  }
  let total = wu[0];
  workgroupBarrier();
  return total;
}
/** Best (value, id): higher value, then lower id. */
fn best_of(v: f32, id: u32, tid: u32) -> vec2<u32> {
  wf[tid] = v;
  wu[tid] = id;
  workgroupBarrier();
  for (var s = WG / 2u; s > 0u; s /= 2u) {
    if (tid < s) {
      let ov = wf[tid + s];
      let oi = wu[tid + s];
      if (ov > wf[tid] || (ov == wf[tid] && oi < wu[tid])) {
        wf[tid] = ov;
        wu[tid] = oi;
      }
    }
    workgroupBarrier();
  }
  let best = vec2<u32>(bitcast<u32>(wf[0]), wu[0]);
  workgroupBarrier();
  return best;
}
`;

const SUBGROUP_REDUCE = /* wgsl */ `
var<private> sg_id: u32;
var<private> sg_count: u32;

fn sum_f32(v: f32, tid: u32) -> f32 {
  let part = subgroupAdd(v);
  if (subgroupElect()) { wf[sg_id] = part; }
  workgroupBarrier();
  var total = 0.0;
  for (var i = 0u; i < sg_count; i++) { total += wf[i]; }
  workgroupBarrier();
  return total;
}
fn sum_u32(v: u32, tid: u32) -> u32 {
  let part = subgroupAdd(v);
  if (subgroupElect()) { wu[sg_id] = part; }
  workgroupBarrier();
  var total = 0u;
  for (var i = 0u; i < sg_count; i++) { total += wu[i]; }
  workgroupBarrier();
  return total;
}
/** Best (value, id): higher value, then lower id. */
fn best_of(v: f32, id: u32, tid: u32) -> vec2<u32> {
  let top = subgroupMax(v);
  let top_id = subgroupMin(select(0xffffffffu, id, v == top));
  if (subgroupElect()) {
    wf[sg_id] = top;
    wu[sg_id] = top_id;
  }
  workgroupBarrier();
  var bv = wf[0];
  var bi = wu[0];
  for (var i = 1u; i < sg_count; i++) {
    let ov = wf[i];
    let oi = wu[i];
    if (ov > bv || (ov == bv && oi < bi)) {
      bv = ov;
      bi = oi;
    }
  }
  workgroupBarrier();
  return vec2<u32>(bitcast<u32>(bv), bi);
}
`;
