import { describe, expect, it } from 'vitest';
import { isAllowed } from './apply-bitmask.ts';
import { WhitespaceTokens, whitespaceLength } from './whitespace-runs.ts';

const tokens = [' ', '\n\n', 'a', ' b', ''].map((text) => new TextEncoder().encode(text));

describe('whitespace runs', () => {
  it('measures whitespace-only tokens', () => {
    expect(tokens.map(whitespaceLength)).toEqual([1, 2, -1, -1, 0]);
  });

  it('masks whitespace-only tokens unless nothing else is allowed', () => {
    const ws = WhitespaceTokens.build(tokens.length, (id) => tokens[id]);
    const allowed = (mask: Int32Array) => [0, 1, 2, 3, 4].filter((id) => isAllowed(mask, id));
    expect(allowed(ws.limit(new Int32Array([0b11111])))).toEqual([2, 3, 4]);
    expect(allowed(ws.limit(new Int32Array([0b00011])))).toEqual([0, 1]);
  });
});
