import { expect, it } from 'vitest';
import { KV_CACHE_CHUNK, KvCache } from './state.ts';

it('KvCache grows in chunks up to its maximum, keeping what it holds', () => {
  const cache = new KvCache(1, 2, 3, 100);
  expect(cache.capacity).toBe(0);
  cache.reserve(1);
  expect(cache.capacity).toBe(KV_CACHE_CHUNK);
  cache.store(1, 0, new Float32Array([1, 2, 3]), new Float32Array([4, 5, 6]));
  cache.length = 1;
  cache.reserve(KV_CACHE_CHUNK + 1);
  expect(cache.capacity).toBe(100); // capped at the maximum, not 2 chunks
  expect([...cache.keys[1].subarray(0, 3)]).toEqual([1, 2, 3]);
  expect([...cache.values[1].subarray(0, 3)]).toEqual([4, 5, 6]);
  expect(cache.keys[0].length).toBe(300);
  expect(() => cache.reserve(101)).toThrow('Sequence needs 101 positions; the context length is 100');
});

it('KvCache.copyPrefix copies only the first positions', () => {
  const cache = new KvCache(1, 1, 2, 10);
  cache.reserve(3);
  for (let pos = 0; pos < 3; pos++)
    cache.store(0, pos, new Float32Array([pos, pos]), new Float32Array([-pos, -pos]));
  cache.length = 3;
  const copy = cache.copyPrefix(2, 2);
  expect([copy.id, copy.length]).toEqual([2, 2]);
  expect([...copy.keys[0].subarray(0, 6)]).toEqual([0, 0, 1, 1, 0, 0]);
  expect([...copy.values[0].subarray(0, 4)]).toEqual([-0, -0, -1, -1]);
  copy.store(0, 0, new Float32Array([9, 9]), new Float32Array([9, 9]));
  expect(cache.keys[0][0]).toBe(0); // independent storage
});
