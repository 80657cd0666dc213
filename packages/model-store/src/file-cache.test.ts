import { describe, expect, it } from 'vitest';
import { contiguousPrefix, type Part } from './file-cache.ts';

const part = (start: number, end: number): Part => ({
  start,
  end,
  key: new Request(`https://h/f?cinder-part=${start}-${end}`),
});

describe('contiguousPrefix', () => {
  it('keeps the parts that continue each other from byte 0', () => {
    const { kept, strays, end } = contiguousPrefix([part(0, 10), part(10, 25), part(30, 40)]);
    expect(kept.map((p) => p.start)).toEqual([0, 10]);
    expect(strays.map((p) => p.start)).toEqual([30]);
    expect(end).toBe(25);
  });

  it('holds nothing when the first part does not start at 0', () => {
    expect(contiguousPrefix([part(5, 10)]).end).toBe(0);
    expect(contiguousPrefix([]).end).toBe(0);
  });
});
