/**
 * Copying a `std::vector<int32_t>` that xgrammar returns through embind into an Int32Array.
 * The fast way reads libc++'s `{begin, end, capacity}` pointers at the object's address in the
 * wasm memory and copies the range in one go; it is used only when it agrees with `size()`.
 * Otherwise (no memory caught, another layout) it falls back to one `get(i)` call per element.
 */
export interface EmbindIntVector {
  size(): number;
  get(index: number): number;
  delete(): void;
  /** embind's internal handle record: `ptr` is the C++ object's address. */
  readonly $$?: { readonly ptr?: number };
}

export function copyIntVector(vector: EmbindIntVector, memory: WebAssembly.Memory | null): Int32Array {
  const size = vector.size();
  const address = vector.$$?.ptr;
  if (memory && typeof address === 'number' && address % 4 === 0) {
    const [begin, end] = new Uint32Array(memory.buffer, address, 2);
    if (begin % 4 === 0 && end - begin === size * 4 && end <= memory.buffer.byteLength) {
      return new Int32Array(memory.buffer, begin, size).slice();
    }
  }
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = vector.get(i);
  return out;
}
