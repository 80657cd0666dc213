/**
 * After the fused q/k/v projection: Qwen3's per-head q/k RMSNorm (optional), RoPE on q and k
 * (rotate_half: element i with i + headDim/2), then k and v stored into the sequence's KV cache
 * at the row's position. One workgroup per (head, row); heads [0, numHeads) are query heads,
 * [numHeads, numHeads + numKvHeads) key/value heads. cos/sin come per row from the CPU (the same
 * float32 angles as the CPU runtime), so positions are exact at any context length.
 * CPU twins: rmsnormHeads, rope, KvCache.store.
 *
 * KV cache (one buffer per layer): pages of PAGE positions, page p = [K: PAGE x kvDim][V: PAGE x kvDim].
 */
import { MODEL_DIMS_WGSL, ROW_INFO_WGSL } from './model-dims.ts';
import { PASS_WGSL } from './pass.ts';
import { sumReduceWgsl } from './reduce.wgsl.ts';

export function ropeWgsl(qkNorm: boolean): string {
  return `${PASS_WGSL}
${MODEL_DIMS_WGSL}
${ROW_INFO_WGSL}
@group(0) @binding(2) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(3) var<storage, read> rope_table: array<vec2<f32>>;
@group(0) @binding(4) var<storage, read> rows: array<RowInfo>;
@group(0) @binding(5) var<storage, read> pages: array<u32>;
@group(0) @binding(6) var<storage, read_write> cache: array<f32>;
${qkNorm ? '@group(0) @binding(7) var<storage, read> q_norm: array<f32>;\n@group(0) @binding(8) var<storage, read> k_norm: array<f32>;' : ''}
${qkNorm ? sumReduceWgsl('block_sum', 64) : ''}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let head = wg.x;
  let t = wg.y;
  let hd = md.head_dim;
  let half = hd / 2u;
  let is_query = head < md.num_heads;
  let kv_head = head - md.num_heads;
  let src = t * md.qkv_dim + select(md.q_dim + kv_head * hd, head * hd, is_query);
${
  qkNorm
    ? `  var squares = 0.0;
  if (t < pass_.rows) {
    for (var i = tid; i < hd; i += 64u) { squares += qkv[src + i] * qkv[src + i]; }
  }
  let scale = inverseSqrt(block_sum(squares, tid) / f32(hd) + md.eps);`
    : ''
}
  if (t >= pass_.rows) { return; }
  let info = rows[t];
  let page = pages[info.table + info.pos / PAGE];
  let k_dst = (page * 2u * PAGE + info.pos % PAGE) * md.kv_dim + kv_head * hd;
  let v_dst = k_dst + PAGE * md.kv_dim;
  for (var i = tid; i < half; i += 64u) {
    var x0 = qkv[src + i];
    var x1 = qkv[src + i + half];
${
  qkNorm
    ? `    if (is_query) {
      x0 = x0 * scale * q_norm[i];
      x1 = x1 * scale * q_norm[i + half];
    } else {
      x0 = x0 * scale * k_norm[i];
      x1 = x1 * scale * k_norm[i + half];
    }`
    : ''
}
    let cs = rope_table[t * half + i];
    let y0 = x0 * cs.x - x1 * cs.y;
    let y1 = x1 * cs.x + x0 * cs.y;
    if (is_query) {
      qkv[src + i] = y0;
      qkv[src + i + half] = y1;
    } else {
      cache[k_dst + i] = y0;
      cache[k_dst + i + half] = y1;
    }
  }
  if (!is_query) {
    let v_src = t * md.qkv_dim + md.q_dim + md.kv_dim + kv_head * hd;
    for (var i = tid; i < hd; i += 64u) { cache[v_dst + i] = qkv[v_src + i]; }
  }
}`;
}
