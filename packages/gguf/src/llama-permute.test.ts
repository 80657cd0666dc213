import { describe, expect, it } from 'vitest';
import { permuteQk, unpermuteQk } from './llama-permute.ts';

/** Hugging Face Llama: RoPE rotates pairs (i, i + half) of each head ("rotate_half"). */
function ropeRotateHalf(x: Float64Array, headDim: number, pos: number): Float64Array {
  const out = new Float64Array(x.length);
  const half = headDim / 2;
  for (let h = 0; h < x.length / headDim; h++) {
    for (let i = 0; i < half; i++) {
      const angle = pos * 10000 ** ((-2 * i) / headDim);
      const [a, b] = [x[h * headDim + i], x[h * headDim + i + half]];
      out[h * headDim + i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[h * headDim + i + half] = b * Math.cos(angle) + a * Math.sin(angle);
    }
  }
  return out;
}

/** llama.cpp's `llama` graph (LLAMA_ROPE_TYPE_NORM): RoPE rotates adjacent pairs (2i, 2i + 1). */
function ropeAdjacent(x: Float64Array, headDim: number, pos: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let h = 0; h < x.length / headDim; h++) {
    for (let i = 0; i < headDim / 2; i++) {
      const angle = pos * 10000 ** ((-2 * i) / headDim);
      const [a, b] = [x[h * headDim + 2 * i], x[h * headDim + 2 * i + 1]];
      out[h * headDim + 2 * i] = a * Math.cos(angle) - b * Math.sin(angle);
      out[h * headDim + 2 * i + 1] = a * Math.sin(angle) + b * Math.cos(angle);
    }
  }
  return out;
}

function matVec(w: Float32Array, rows: number, x: Float64Array): Float64Array {
  const cols = x.length;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r] += w[r * cols + c] * x[c];
  return out;
}

function random(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 30 - 1;
  });
}

describe('permuteQk', () => {
  it('moves row s * half + j of each head to row 2j + s (convert_hf_to_gguf LlamaModel.permute)', () => {
    const rows = Float32Array.from({ length: 8 }, (_, i) => i); // 2 heads of 4 rows, 1 column
    expect([...permuteQk(rows, 8, 2)]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    expect([...unpermuteQk(permuteQk(rows, 8, 2), 8, 2)]).toEqual([...rows]);
  });

  it("turns Hugging Face's rotate_half RoPE into llama.cpp's adjacent-pair RoPE", () => {
    const [heads, kvHeads, headDim, hidden] = [4, 2, 16, 24];
    const wq = random(heads * headDim * hidden, 1);
    const wk = random(kvHeads * headDim * hidden, 2);
    const x = Float64Array.from(random(hidden, 3));
    const wqGguf = permuteQk(wq, heads * headDim, heads);
    const wkGguf = permuteQk(wk, kvHeads * headDim, kvHeads);
    for (const pos of [0, 1, 7, 100]) {
      const qHf = ropeRotateHalf(matVec(wq, heads * headDim, x), headDim, pos);
      const kHf = ropeRotateHalf(matVec(wk, kvHeads * headDim, x), headDim, pos + 3);
      const qGguf = ropeAdjacent(matVec(wqGguf, heads * headDim, x), headDim, pos);
      const kGguf = ropeAdjacent(matVec(wkGguf, kvHeads * headDim, x), headDim, pos + 3);
      // Attention scores q·k per (query head, its kv head) are what the model computes: equal.
      for (let h = 0; h < heads; h++) {
        const kv = Math.floor(h / (heads / kvHeads));
        let hf = 0;
        let gguf = 0;
        for (let d = 0; d < headDim; d++) {
          hf += qHf[h * headDim + d] * kHf[kv * headDim + d];
          gguf += qGguf[h * headDim + d] * kGguf[kv * headDim + d];
        }
        expect(gguf).toBeCloseTo(hf, 9);
      }
    }
  });
});
