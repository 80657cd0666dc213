/**
 * Device-side sampling, one workgroup of 256 per sampled sequence, over its raw logits row:
 *
 *   1. argmax (ties to the lowest id) and logsumexp of the raw row -> raw logprobs
 *   2. the top-N raw logprobs (N <= 20), by value then lower id
 *   3. greedy: the argmax. Otherwise, on logits * (1 / temperature):
 *      top-k   keep values >= the k-th largest (ties kept, as vLLM): found by bisection on
 *              order-preserving u32 keys of the floats (32 counting passes)
 *      top-p   keep the smallest prefix (by value, ties by lower id) whose mass above each kept
 *              token is < p: the cut value is bisected on the same keys by mass, and the tokens
 *              tied at the cut are kept in id order while the mass before them stays < p
 *      draw    inverse CDF at `uniform` over the survivors in id order (as the CPU sampler)
 *
 * With a grammar's mask (flag 4: one bit per token in \`masks\`, a row of ceil(V / 32) words per
 * sampled sequence), step 3 sees only the allowed tokens, as the CPU applies the mask to the logits
 * before its sampler; the logprobs of steps 1 and 2 stay raw. Additions to the logits (logit_bias,
 * presence / frequency penalties: \`bias\` holds per draw an [offset, count] pair, then (id, delta)
 * entries) are added to the row in place for step 3 and the original values put back after it.
 *
 * Output per sequence: token, its raw logprob (only when asked: a plain greedy decode skips the
 * logsumexp and reads back 4 bytes), then N (id, logprob) pairs. CPU twin:
 * sample-reference.ts (the engine's sampler chain semantics). Sums and argmaxes use subgroup
 * operations where the device has them, shared-memory trees otherwise (workgroup-reduce.wgsl.ts);
 * the two prefix scans of the draw are trees either way (they need thread order).
 */
import { PASS_WGSL } from './pass.ts';
import { reduceBuiltins, reduceEnable, reduceWgsl } from './workgroup-reduce.wgsl.ts';

export const SAMPLE_WORKGROUP = 256;

/**
 * `workgroup` threads share each row (256 on a GPU). With 1 the same code runs sequentially with
 * no barrier work, which is much faster on CPU-emulated adapters (SwiftShader). `subgroups`: the
 * reductions use subgroup operations (the device must have them; see GpuContext.features).
 */
export function sampleWgsl(workgroup = SAMPLE_WORKGROUP, subgroups = false): string {
  const builtins = reduceBuiltins(subgroups);
  return `${reduceEnable(subgroups)}${PASS_WGSL}
struct SampleParams {
  row: u32,
  inv_temp: f32,
  top_k: u32,
  top_p: f32,
  uniform: f32,
  top_n: u32,
  flags: u32,  // 1: greedy, 2: report the token's logprob, 4: masked
  vocab: u32,
}
@group(0) @binding(1) var<storage, read_write> logits: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<SampleParams>;
@group(0) @binding(3) var<storage, read_write> results: array<u32>;
@group(0) @binding(4) var<storage, read> masks: array<u32>;
@group(0) @binding(5) var<storage, read> bias: array<u32>;
@group(0) @binding(6) var<storage, read_write> saved: array<f32>;

const WG = ${workgroup}u;
const LOWEST = -3.4e38;
var<workgroup> wf: array<f32, ${workgroup}>;
var<workgroup> wu: array<u32, ${workgroup}>;
var<workgroup> shared_params: SampleParams;
var<workgroup> shared_bias: vec2<u32>;
var<workgroup> chosen: atomic<u32>;

/** Order-preserving key: a < b as floats <=> key(a) < key(b) as u32. */
fn key_of(v: f32) -> u32 {
  let b = bitcast<u32>(v);
  return select(b | 0x80000000u, ~b, (b & 0x80000000u) != 0u);
}
fn value_of(k: u32) -> f32 {
  return bitcast<f32>(select(~k, k & 0x7fffffffu, (k & 0x80000000u) != 0u));
}

/** Whether token i may be drawn: always, or its bit in the sequence's mask row (from word \`base\`). */
fn ok(masked: bool, base: u32, i: u32) -> bool {
  return !masked || ((masks[base + (i >> 5u)] >> (i & 31u)) & 1u) == 1u;
}

${reduceWgsl(subgroups)}
/** Exclusive prefix sums over the workgroup (Hillis-Steele). */
fn scan_f32(v: f32, tid: u32) -> f32 {
  wf[tid] = v;
  workgroupBarrier();
  for (var s = 1u; s < WG; s *= 2u) {
    var add = 0.0;
    if (tid >= s) { add = wf[tid - s]; }
    workgroupBarrier();
    wf[tid] += add;
    workgroupBarrier();
  }
  let inclusive = wf[tid];
  workgroupBarrier();
  return inclusive - v;
}
fn scan_u32(v: u32, tid: u32) -> u32 {
  wu[tid] = v;
  workgroupBarrier();
  for (var s = 1u; s < WG; s *= 2u) {
    var add = 0u;
    if (tid >= s) { add = wu[tid - s]; }
    workgroupBarrier();
    wu[tid] += add;
    workgroupBarrier();
  }
  let inclusive = wu[tid];
  workgroupBarrier();
  return inclusive - v;
}

@compute @workgroup_size(${workgroup})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32${builtins.params}) {
${builtins.setup}
  let s = wg.x;
  if (tid == 0u) {
    shared_params = params[min(s, arrayLength(&params) - 1u)];
    shared_bias = vec2<u32>(bias[2u * s], bias[2u * s + 1u]);
    atomicStore(&chosen, 0xffffffffu);
  }
  let p = workgroupUniformLoad(&shared_params);
  let bias_info = workgroupUniformLoad(&shared_bias);
  let V = p.vocab;
  let row = p.row * V;

  // 1. argmax and (when logprobs are wanted) logsumexp of the raw row.
  var bv = LOWEST;
  var bi = 0xffffffffu;
  for (var i = tid; i < V; i += WG) {
    let v = logits[row + i];
    if (v > bv) { bv = v; bi = i; }
  }
  let best = best_of(bv, bi, tid);
  let max_v = bitcast<f32>(best.x);
  let want_logprob = (p.flags & 2u) != 0u;
  var lse = 0.0;
  if (want_logprob) {
    var e = 0.0;
    for (var i = tid; i < V; i += WG) { e += exp(logits[row + i] - max_v); }
    lse = max_v + log(sum_f32(e, tid));
  }

  // 2. top-N raw logprobs: each round takes the best entry ranked after the previous one.
  let out = s * ${2 + 2 * 20}u;
  var prev_v = 3.4e38;
  var prev_i = 0u;
  for (var n = 0u; n < p.top_n; n++) {
    var cv = LOWEST;
    var ci = 0xffffffffu;
    for (var i = tid; i < V; i += WG) {
      let v = logits[row + i];
      let after = v < prev_v || (v == prev_v && i > prev_i);
      if (after && (v > cv || (v == cv && i < ci))) { cv = v; ci = i; }
    }
    let top = best_of(cv, ci, tid);
    prev_v = bitcast<f32>(top.x);
    prev_i = top.y;
    if (tid == 0u) {
      results[out + 2u + 2u * n] = top.y;
      results[out + 3u + 2u * n] = bitcast<u32>(prev_v - lse);
    }
  }

  // Additions for step 3, in place: every thread has read the raw row by now.
  let bias_at = bias_info.x;
  let bias_count = bias_info.y;
  if (bias_count > 0u) {
    workgroupBarrier();
    storageBarrier();
    for (var j = tid; j < bias_count; j += WG) {
      let at = row + bias[bias_at + 2u * j];
      saved[(bias_at - 2u * pass_.sampled) / 2u + j] = logits[at];
      logits[at] = logits[at] + bitcast<f32>(bias[bias_at + 2u * j + 1u]);
    }
    storageBarrier();
    workgroupBarrier();
  }

  // 3. the token, from the allowed tokens only when masked.
  let masked = (p.flags & 4u) != 0u;
  let mask_base = s * ((V + 31u) / 32u);
  var token = best.y;
  var draw_max = max_v;
  if (masked || bias_count > 0u) {
    var mv = LOWEST;
    var mi = 0xffffffffu;
    for (var i = tid; i < V; i += WG) {
      let v = logits[row + i];
      if (ok(masked, mask_base, i) && (v > mv || mi == 0xffffffffu)) { mv = v; mi = i; }
    }
    let allowed_best = best_of(mv, mi, tid);
    if (allowed_best.y != 0xffffffffu) {
      token = allowed_best.y;
      draw_max = bitcast<f32>(allowed_best.x);
    }
  }
  if ((p.flags & 1u) == 0u) {
    let t = p.inv_temp;
    let smax = draw_max * t;
    // top-k: the largest key K with count(key >= K) >= k.
    var kth = 0u;
    if (p.top_k > 0u && p.top_k < V) {
      for (var b = 31i; b >= 0i; b--) {
        let cand = kth | (1u << u32(b));
        var count = 0u;
        for (var i = tid; i < V; i += WG) {
          if (ok(masked, mask_base, i)) { count += select(0u, 1u, key_of(logits[row + i] * t) >= cand); }
        }
        if (sum_u32(count, tid) >= p.top_k) { kth = cand; }
      }
    }
    // Survivors: key > cut, or key == cut and rank among the ties < tie_keep.
    var cut = kth;
    var tie_keep = 0xffffffffu;
    var top_p_on = false;
    if (p.top_p < 1.0) {
      var z = 0.0;
      for (var i = tid; i < V; i += WG) {
        let v = logits[row + i] * t;
        if (key_of(v) >= kth && ok(masked, mask_base, i)) { z += exp(v - smax); }
      }
      let goal = p.top_p * sum_f32(z, tid);
      // The largest key K whose kept mass strictly above K still reaches the goal.
      var k_hi = 0u;
      for (var b = 31i; b >= 0i; b--) {
        let cand = k_hi | (1u << u32(b));
        var mass = 0.0;
        for (var i = tid; i < V; i += WG) {
          let v = logits[row + i] * t;
          let k = key_of(v);
          if (k >= kth && k > cand && ok(masked, mask_base, i)) { mass += exp(v - smax); }
        }
        if (sum_f32(mass, tid) >= goal) { k_hi = cand; }
      }
      cut = k_hi + 1u;
      var above = 0.0;
      for (var i = tid; i < V; i += WG) {
        let v = logits[row + i] * t;
        if (key_of(v) > cut && ok(masked, mask_base, i)) { above += exp(v - smax); }
      }
      let w_cut = exp(value_of(cut) - smax);
      let room = (goal - sum_f32(above, tid)) / w_cut;
      tie_keep = select(0xffffffffu, max(1u, u32(ceil(room))), w_cut > 0.0 && room < 4.0e9);
      top_p_on = true;
    }
    // Draw: contiguous id ranges per thread, scanned so each thread knows the mass before it.
    let per = (V + WG - 1u) / WG;
    let lo = min(tid * per, V);
    let hi = min(lo + per, V);
    var ties = 0u;
    if (top_p_on) {
      for (var i = lo; i < hi; i++) {
        ties += select(0u, 1u, key_of(logits[row + i] * t) == cut && ok(masked, mask_base, i));
      }
    }
    let tie_base = scan_u32(ties, tid);
    var mass = 0.0;
    var rank = tie_base;
    var last = 0u;
    var has_kept = 0u;
    for (var i = lo; i < hi; i++) {
      let v = logits[row + i] * t;
      let k = key_of(v);
      let allowed = ok(masked, mask_base, i);
      var keep = allowed && (k > cut || (!top_p_on && k == cut));
      if (allowed && top_p_on && k == cut) { keep = rank < tie_keep; rank++; }
      if (keep) { mass += exp(v - smax); last = i; has_kept = 1u; }
    }
    let base = scan_f32(mass, tid);
    let total = sum_f32(mass, tid);
    let u = p.uniform * total;
    var cumulative = base;
    rank = tie_base;
    for (var i = lo; i < hi; i++) {
      let v = logits[row + i] * t;
      let k = key_of(v);
      let allowed = ok(masked, mask_base, i);
      var keep = allowed && (k > cut || (!top_p_on && k == cut));
      if (allowed && top_p_on && k == cut) { keep = rank < tie_keep; rank++; }
      if (keep) {
        cumulative += exp(v - smax);
        if (u < cumulative) { atomicMin(&chosen, i); break; }
      }
    }
    // Rounding fallback: the last survivor, like the CPU sampler.
    let last_survivor = best_of(select(LOWEST, f32(last), has_kept == 1u), 0u, tid);
    let picked = atomicLoad(&chosen);
    token = select(picked, u32(bitcast<f32>(last_survivor.x)), picked == 0xffffffffu);
  }

  // The raw row back, for the token's logprob and any readback of the row.
  if (bias_count > 0u) {
    workgroupBarrier();
    storageBarrier();
    for (var j = tid; j < bias_count; j += WG) {
      logits[row + bias[bias_at + 2u * j]] = saved[(bias_at - 2u * pass_.sampled) / 2u + j];
    }
    storageBarrier();
    workgroupBarrier();
  }
  if (tid == 0u && s < pass_.sampled) {
    results[out] = token;
    if (want_logprob) { results[out + 1u] = bitcast<u32>(logits[row + token] - lse); }
  }
}`;
}
