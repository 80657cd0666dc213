import { describe, expect, it } from 'vitest';
import { copyIntVector, type EmbindIntVector } from './wasm-vector.ts';

/** A vector laid out as libc++ does in a wasm32 memory: {begin, end, capacity} at `address`. */
function vectorIn(memory: WebAssembly.Memory, address: number, values: number[]): EmbindIntVector {
  const begin = 1024;
  new Uint32Array(memory.buffer, address, 3).set([
    begin,
    begin + values.length * 4,
    begin + values.length * 4,
  ]);
  new Int32Array(memory.buffer, begin, values.length).set(values);
  return { size: () => values.length, get: (i) => values[i], delete: () => {}, $$: { ptr: address } };
}

describe('copyIntVector', () => {
  it('copies the range the vector points at', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const vector = vectorIn(memory, 64, [1, -1, 0, 7]);
    const copy = copyIntVector(vector, memory);
    expect([...copy]).toEqual([1, -1, 0, 7]);
    new Int32Array(memory.buffer, 1024, 1)[0] = 99;
    expect(copy[0]).toBe(1);
  });

  it('falls back to get() when the layout does not agree with size() or there is no memory', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const vector = vectorIn(memory, 64, [5, 6]);
    const liar = { ...vector, size: () => 3, get: (i: number) => [5, 6, 8][i] };
    expect([...copyIntVector(liar, memory)]).toEqual([5, 6, 8]);
    expect([...copyIntVector(vector, null)]).toEqual([5, 6]);
  });
});
