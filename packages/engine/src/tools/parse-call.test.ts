import { describe, expect, it } from 'vitest';
import { callFromObject, callsFromObjectSequence, jsonValueEnd, partialMarkerLength } from './parse-call.ts';

describe('call parsing helpers', () => {
  it('finds where a JSON object ends, skipping brackets inside strings', () => {
    const text = '{"a": "}]", "b": [1, {"c": "\\"}"}]} tail';
    expect(text.slice(0, jsonValueEnd(text, 0))).toBe('{"a": "}]", "b": [1, {"c": "\\"}"}]}');
    expect(jsonValueEnd('{"a": 1', 0)).toBe(-1);
  });

  it('reads call objects and nothing else', () => {
    expect(callFromObject({ name: 'f', arguments: { a: 1 } })).toEqual({ name: 'f', arguments: '{"a":1}' });
    expect(callFromObject({ name: 'f' })).toEqual({ name: 'f', arguments: '{}' });
    expect(callFromObject({ name: '', arguments: {} })).toBeNull();
    expect(callFromObject({ name: 'f', arguments: 'nope' })).toBeNull();
    expect(callFromObject([{ name: 'f' }])).toBeNull();
  });

  it('reads separated sequences of call objects', () => {
    expect(callsFromObjectSequence('{"name": "a"} ; {"name": "b"}', ';')).toHaveLength(2);
    expect(callsFromObjectSequence('{"name": "a"} {"name": "b"}', ';')).toHaveLength(2);
    expect(callsFromObjectSequence('{"name": "a"};;{"name": "b"}', ';')).toBeNull();
    expect(callsFromObjectSequence('', ';')).toBeNull();
  });

  it('measures a held-back marker prefix', () => {
    expect(partialMarkerLength('abc <tool', '<tool_call>')).toBe(5);
    expect(partialMarkerLength('abc', '<tool_call>')).toBe(0);
    expect(partialMarkerLength('<tool_call>', '<tool_call>')).toBe(0);
  });
});
