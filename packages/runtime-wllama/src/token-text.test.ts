import { describe, expect, it } from 'vitest';
import {
  FIRST_CODE_POINT,
  idsToText,
  MAX_VOCAB,
  textToIds,
  tokenChar,
  UNITS_PER_TOKEN,
} from './token-text.ts';

describe('token text', () => {
  it('maps every id to one astral character and back', () => {
    const ids = [0, 1, 1023, 1024, 65535, 151935, MAX_VOCAB - 1];
    const text = idsToText(ids);
    expect(text.length).toBe(ids.length * UNITS_PER_TOKEN);
    expect([...text]).toEqual(ids.map(tokenChar));
    expect(textToIds(text)).toEqual(ids);
    expect(tokenChar(5).codePointAt(0)).toBe(FIRST_CODE_POINT + 5);
  });

  it('handles long runs and encodes as 4-byte UTF-8', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => (i * 7919) % 151_936);
    const text = idsToText(ids);
    expect(textToIds(text)).toEqual(ids);
    expect(new TextEncoder().encode(text).length).toBe(4 * ids.length);
    expect(textToIds(text.slice(0, 2 * UNITS_PER_TOKEN))).toEqual(ids.slice(0, 2));
  });
});
