/**
 * Causal attention of each row's query over its sequence's cached keys and values, positions
 * [0, pos], with grouped-query attention (query head h reads kv head h / (numHeads / numKvHeads)).
 * Split over the sequence (flash-decoding): workgroup (chunk, head, row) covers `attn_chunk_len`
 * positions in tiles of one page (64), keeping a running max `m`, sum `l` and unnormalised output,
 * and writes them as a partial; attention_reduce merges the partials of a (head, row).
 * CPU twin: runtime-cpu `attention` (with softmax).
 */
import { MODEL_DIMS_WGSL, ROW_INFO_WGSL } from './model-dims.ts';
import { PASS_WGSL } from './pass.ts';
import { maxReduceWgsl, sumReduceWgsl } from './reduce.wgsl.ts';

/** Largest head_dim supported (4 output dims per thread). */
export const MAX_HEAD_DIM = 256;

export function attentionWgsl(): string {
  return `${PASS_WGSL}
${MODEL_DIMS_WGSL}
${ROW_INFO_WGSL}
@group(0) @binding(2) var<storage, read> qkv: array<f32>;
@group(0) @binding(3) var<storage, read> rows: array<RowInfo>;
@group(0) @binding(4) var<storage, read> pages: array<u32>;
@group(0) @binding(5) var<storage, read> cache: array<f32>;
@group(0) @binding(6) var<storage, read_write> partials: array<f32>;
${maxReduceWgsl('block_max', 64)}
${sumReduceWgsl('block_sum', 64)}
var<workgroup> q: array<f32, ${MAX_HEAD_DIM}>;
var<workgroup> weights: array<f32, 64>;
var<workgroup> bounds: vec3<u32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let chunk = wg.x;
  let head = wg.y;
  let t = wg.z;
  let hd = md.head_dim;
  let kv_off = (head / (md.num_heads / md.num_kv_heads)) * hd;
  if (tid == 0u) {
    var start = 0u;
    var end = 0u;
    var table = 0u;
    if (t < pass_.rows) {
      let info = rows[t];
      start = min(chunk * pass_.attn_chunk_len, info.pos + 1u);
      end = min(start + pass_.attn_chunk_len, info.pos + 1u);
      table = info.table;
    }
    bounds = vec3<u32>(start, end, table);
  }
  let b = workgroupUniformLoad(&bounds);
  if (t < pass_.rows) {
    for (var d = tid; d < hd; d += 64u) { q[d] = qkv[t * md.qkv_dim + head * hd + d]; }
  }
  workgroupBarrier();

  var m = -3.0e38;
  var l = 0.0;
  var acc = vec4<f32>(0.0);
  for (var tile = b.x; tile < b.y; tile += PAGE) {
    let page = pages[b.z + tile / PAGE];
    let keys = page * 2u * PAGE * md.kv_dim + kv_off;
    let p = tile + tid;
    var score = -3.0e38;
    if (p < b.y) {
      var dot = 0.0;
      let k = keys + (p % PAGE) * md.kv_dim;
      for (var d = 0u; d < hd; d++) { dot += q[d] * cache[k + d]; }
      score = dot * md.scale;
    }
    let m_new = max(m, block_max(score, tid));
    var w = 0.0;
    if (p < b.y) { w = exp(score - m_new); }
    weights[tid] = w;
    let correction = exp(m - m_new);
    l = l * correction + block_sum(w, tid);
    let values = keys + PAGE * md.kv_dim;
    let count = min(PAGE, b.y - tile);
    for (var i = 0u; i < 4u; i++) {
      let d = tid + i * 64u;
      if (d < hd) {
        var sum = 0.0;
        for (var j = 0u; j < count; j++) { sum += weights[j] * cache[values + ((tile + j) % PAGE) * md.kv_dim + d]; }
        acc[i] = acc[i] * correction + sum;
      }
    }
    m = m_new;
    workgroupBarrier();
  }

  if (t >= pass_.rows) { return; }
  let out = ((t * md.num_heads + head) * pass_.attn_chunks + chunk) * (hd + 2u);
  if (tid == 0u) {
    partials[out] = m;
    partials[out + 1u] = l;
  }
  for (var i = 0u; i < 4u; i++) {
    let d = tid + i * 64u;
    if (d < hd) { partials[out + 2u + d] = acc[i]; }
  }
}`;
}

/** Merges the chunk partials of each (head, row) into the attention output (rows, qDim). */
export function attentionReduceWgsl(): string {
  return `${PASS_WGSL}
${MODEL_DIMS_WGSL}
@group(0) @binding(2) var<storage, read> partials: array<f32>;
@group(0) @binding(3) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let head = wg.x;
  let t = wg.y;
  if (t >= pass_.rows) { return; }
  let hd = md.head_dim;
  let base = (t * md.num_heads + head) * pass_.attn_chunks * (hd + 2u);
  var m = -3.0e38;
  for (var c = 0u; c < pass_.attn_chunks; c++) {
    let p = base + c * (hd + 2u);
    if (partials[p + 1u] > 0.0) { m = max(m, partials[p]); }
  }
  var l = 0.0;
  for (var c = 0u; c < pass_.attn_chunks; c++) {
    let p = base + c * (hd + 2u);
    if (partials[p + 1u] > 0.0) { l += partials[p + 1u] * exp(partials[p] - m); }
  }
  for (var d = tid; d < hd; d += 64u) {
    var sum = 0.0;
    for (var c = 0u; c < pass_.attn_chunks; c++) {
      let p = base + c * (hd + 2u);
      if (partials[p + 1u] > 0.0) { sum += partials[p + 2u + d] * exp(partials[p] - m); }
    }
    out[t * md.q_dim + head * hd + d] = sum / l;
  }
}`;
}

/**
 * The same partials with one thread per (chunk, head, row) and an online softmax over positions:
 * no shared memory or barriers, for CPU-emulated adapters (SwiftShader), where barriers are slow.
 */
export function attentionSerialWgsl(): string {
  return `${PASS_WGSL}
${MODEL_DIMS_WGSL}
${ROW_INFO_WGSL}
@group(0) @binding(2) var<storage, read> qkv: array<f32>;
@group(0) @binding(3) var<storage, read> rows: array<RowInfo>;
@group(0) @binding(4) var<storage, read> pages: array<u32>;
@group(0) @binding(5) var<storage, read> cache: array<f32>;
@group(0) @binding(6) var<storage, read_write> partials: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let chunk = id.x % pass_.attn_chunks;
  let head = (id.x / pass_.attn_chunks) % md.num_heads;
  let t = id.x / (pass_.attn_chunks * md.num_heads);
  if (t >= pass_.rows) { return; }
  let hd = md.head_dim;
  let kv_off = (head / (md.num_heads / md.num_kv_heads)) * hd;
  let info = rows[t];
  let start = min(chunk * pass_.attn_chunk_len, info.pos + 1u);
  let end = min(start + pass_.attn_chunk_len, info.pos + 1u);
  let q = t * md.qkv_dim + head * hd;
  let out = ((t * md.num_heads + head) * pass_.attn_chunks + chunk) * (hd + 2u);
  var m = -3.0e38;
  var l = 0.0;
  for (var d = 0u; d < hd; d++) { partials[out + 2u + d] = 0.0; }
  for (var p = start; p < end; p++) {
    let page = pages[info.table + p / PAGE];
    let k = (page * 2u * PAGE + p % PAGE) * md.kv_dim + kv_off;
    let v = k + PAGE * md.kv_dim;
    var dot = 0.0;
    for (var d = 0u; d < hd; d++) { dot += qkv[q + d] * cache[k + d]; }
    let score = dot * md.scale;
    let m_new = max(m, score);
    let correction = exp(m - m_new);
    let w = exp(score - m_new);
    l = l * correction + w;
    for (var d = 0u; d < hd; d++) {
      partials[out + 2u + d] = partials[out + 2u + d] * correction + w * cache[v + d];
    }
    m = m_new;
  }
  partials[out] = m;
  partials[out + 1u] = l;
}`;
}
