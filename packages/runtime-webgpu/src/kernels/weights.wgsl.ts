/**
 * WGSL access to one weight matrix chunk in any storage format (weights/format.ts):
 * `<name>_load4(row, k)` returns weights k..k+3 of a row (k a multiple of 4) as f32.
 * Everything is u32 words, so no `shader-f16` is needed. The row length in words (and in scale
 * groups) comes from WGSL expressions, usually uniform fields, so one pipeline serves every shape.
 */
import type { WeightDtype } from '../weights/format.ts';

export interface RowLayout {
  /** WGSL u32 expression: data words per row. */
  readonly words: string;
  /** WGSL u32 expression: scale groups per row (quantized formats). */
  readonly groups: string;
}

export function weightBindings(dtype: WeightDtype): number {
  return dtype === 'q8' || dtype === 'q4' ? 2 : 1;
}

/** Declares `<name>_data` (and `<name>_scales`) at `binding`, `binding + 1`, and the loader. */
export function weightAccess(name: string, dtype: WeightDtype, layout: RowLayout, binding: number): string {
  const words = `(${layout.words})`;
  const data = `@group(0) @binding(${binding}) var<storage, read> ${name}_data: array<u32>;`;
  switch (dtype) {
    case 'f32':
      return `${data}
fn ${name}_load4(row: u32, k: u32) -> vec4<f32> {
  let i = row * ${words} + k;
  return bitcast<vec4<f32>>(vec4<u32>(${name}_data[i], ${name}_data[i + 1u], ${name}_data[i + 2u], ${name}_data[i + 3u]));
}`;
    case 'f16':
      return `${data}
fn ${name}_load4(row: u32, k: u32) -> vec4<f32> {
  let i = row * ${words} + k / 2u;
  return vec4<f32>(unpack2x16float(${name}_data[i]), unpack2x16float(${name}_data[i + 1u]));
}`;
    case 'q8':
    case 'q4': {
      const groups = `(${layout.groups})`;
      const scales = `@group(0) @binding(${binding + 1}) var<storage, read> ${name}_scales: array<u32>;
fn ${name}_scale(row: u32, k: u32) -> f32 {
  let g = row * ${groups} + k / 32u;
  let pair = unpack2x16float(${name}_scales[g / 2u]);
  return select(pair.x, pair.y, (g & 1u) == 1u);
}`;
      const body =
        dtype === 'q8'
          ? `  let w = ${name}_data[row * ${words} + k / 4u];
  let q = vec4<i32>(bitcast<i32>(w << 24u), bitcast<i32>(w << 16u), bitcast<i32>(w << 8u), bitcast<i32>(w)) >> vec4<u32>(24u);`
          : `  let w = ${name}_data[row * ${words} + k / 8u] >> ((k & 4u) * 4u);
  let q = vec4<i32>(vec4<u32>(w, w >> 4u, w >> 8u, w >> 12u) & vec4<u32>(15u)) - vec4<i32>(8);`;
      return `${data}
${scales}
fn ${name}_load4(row: u32, k: u32) -> vec4<f32> {
${body}
  return vec4<f32>(q) * ${name}_scale(row, k);
}`;
    }
  }
}
