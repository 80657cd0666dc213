/**
 * llama.cpp's q/k row permutation for the `llama` architecture.
 *
 * Hugging Face Llama checkpoints rotate pairs (i, i + headDim/2) of each head ("rotate_half"),
 * while llama.cpp's `llama` graph rotates adjacent pairs (2i, 2i + 1). convert_hf_to_gguf.py
 * (`LlamaModel.permute`) therefore reorders the rows of q_proj and k_proj (weights and biases),
 * head by head: new row `2j + s` of a head is old row `s * headDim/2 + j`. k_proj uses the KV
 * head count. qwen2 / qwen3 use rotate_half in llama.cpp too and are not permuted.
 */

/** Rows of a row-major [rows, cols] matrix (cols = 1 for a bias), permuted per head. */
export function permuteQk(data: Float32Array, rows: number, heads: number): Float32Array {
  return reorderRows(data, rows, heads, (half, j, s) => [2 * j + s, s * half + j]);
}

/** The inverse of permuteQk: back to Hugging Face's row order. */
export function unpermuteQk(data: Float32Array, rows: number, heads: number): Float32Array {
  return reorderRows(data, rows, heads, (half, j, s) => [s * half + j, 2 * j + s]);
}

function reorderRows(
  data: Float32Array,
  rows: number,
  heads: number,
  map: (half: number, j: number, s: number) => [to: number, from: number],
): Float32Array {
  if (rows % (2 * heads) !== 0)
    throw new RangeError(`${rows} rows do not split into ${heads} heads of pairs`);
  const cols = data.length / rows;
  const headRows = rows / heads;
  const half = headRows / 2;
  const out = new Float32Array(data.length);
  for (let h = 0; h < heads; h++) {
    for (let j = 0; j < half; j++) {
      for (let s = 0; s < 2; s++) {
        const [to, from] = map(half, j, s);
        const src = (h * headRows + from) * cols;
        out.set(data.subarray(src, src + cols), (h * headRows + to) * cols);
      }
    }
  }
  return out;
}
