/**
 * Embedding gather: x[t] = row tokens[t] of the table, for the table chunk holding rows
 * [FIRST, FIRST + ROWS). One thread writes 4 values; grid (ceil(H / 256), rows).
 * CPU twin: runtime-cpu `embedding`.
 */
import { rowGroups, rowWords, type WeightDtype } from '../weights/format.ts';
import { PASS_WGSL } from './pass.ts';
import { weightAccess, weightBindings } from './weights.wgsl.ts';

export interface EmbeddingShape {
  readonly dtype: WeightDtype;
  readonly hidden: number;
  readonly firstRow: number;
  readonly chunkRows: number;
}

export function embeddingWgsl({ dtype, hidden, firstRow, chunkRows }: EmbeddingShape): string {
  const out = 2 + weightBindings(dtype);
  return `${PASS_WGSL}
@group(0) @binding(1) var<storage, read> tokens: array<u32>;
${weightAccess('w', dtype, { words: `${rowWords(dtype, hidden)}u`, groups: `${rowGroups(dtype, hidden)}u` }, 2)}
@group(0) @binding(${out}) var<storage, read_write> x: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let t = id.y;
  let k = id.x * 4u;
  if (t >= pass_.rows || k >= ${hidden}u) { return; }
  let token = tokens[t];
  if (token < ${firstRow}u || token >= ${firstRow + chunkRows}u) { return; }
  let v = w_load4(token - ${firstRow}u, k);
  let o = t * ${hidden}u + k;
  x[o] = v.x;
  x[o + 1u] = v.y;
  x[o + 2u] = v.z;
  x[o + 3u] = v.w;
}`;
}
