import { describe, expect, it } from 'vitest';
import { isAllowed } from './apply-bitmask.ts';
import { UTF8_BOUNDARY, Utf8Masks, utf8After } from './utf8-masks.ts';

const valid = (bytes: number[]) => utf8After(UTF8_BOUNDARY, Uint8Array.from(bytes)) === UTF8_BOUNDARY;

describe('UTF-8 states', () => {
  it('accepts exactly the well-formed sequences', () => {
    const encoder = new TextEncoder();
    for (const text of ['a', 'é', '婢', '😀', '\u{10FFFF}', '\uD7FF', '\uE000']) {
      expect(valid([...encoder.encode(text)]), text).toBe(true);
    }
    for (const bad of [
      [0x80],
      [0xc0, 0x80],
      [0xc1, 0xbf],
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80],
      [0xf0, 0x80, 0x80, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80],
      [0xff],
    ]) {
      expect(valid(bad), bad.join(' ')).toBe(false);
    }
    expect(utf8After(UTF8_BOUNDARY, Uint8Array.of(0xe5, 0xa9))).toBe(1);
  });

  it('agrees with TextDecoder on random byte strings', () => {
    let seed = 42;
    const next = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed >>> 24;
    };
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (let i = 0; i < 5000; i++) {
      const bytes = Array.from({ length: 1 + (next() % 5) }, () =>
        next() % 2 ? 0x80 | (next() % 0x80) : next(),
      );
      let ok = true;
      try {
        decoder.decode(Uint8Array.from(bytes));
      } catch {
        ok = false;
      }
      expect(valid(bytes), bytes.join(' ')).toBe(ok);
    }
  });

  it('masks tokens by the state they follow', () => {
    const tokens = [[0x61], [0xe5], [0xa9, 0xa2], [0xa2], []].map((b) => Uint8Array.from(b));
    const masks = Utf8Masks.build(tokens.length, (id) => tokens[id]);
    const allowedIn = (state: number) =>
      [0, 1, 2, 3, 4].filter((id) => isAllowed(masks.narrow(new Int32Array([-1]), state), id));
    expect(allowedIn(UTF8_BOUNDARY)).toEqual([0, 1, 4]);
    expect(allowedIn(utf8After(UTF8_BOUNDARY, tokens[1]))).toEqual([2, 3, 4]);
    expect(allowedIn(1)).toEqual([3, 4]);
  });
});
