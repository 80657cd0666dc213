import { describe, expect, it } from 'vitest';
import { parseEveryWay } from '../parser-harness.ts';
import { mistralArgsFormat, mistralFormat } from './mistral.ts';

describe('mistral tool calls', () => {
  it('reads the v3 array after [TOOL_CALLS], with content before it', () => {
    const text = 'Sure. [TOOL_CALLS][{"name": "a", "arguments": {"x": 1}}, {"name": "b", "arguments": {}}]';
    expect(parseEveryWay(mistralFormat, text)).toEqual({
      content: 'Sure. ',
      calls: [
        { name: 'a', arguments: '{"x":1}' },
        { name: 'b', arguments: '{}' },
      ],
    });
  });

  it('reads a bare call array (the control token skipped from the text)', () => {
    expect(parseEveryWay(mistralFormat, '[{"name": "a", "arguments": {"x": 1}}]').calls).toEqual([
      { name: 'a', arguments: '{"x":1}' },
    ]);
  });

  it('reads the v11 layout, one [TOOL_CALLS]name[ARGS]{...} per call', () => {
    const text = '[TOOL_CALLS]get_weather[ARGS]{"city": "Paris"}[TOOL_CALLS]get_time[ARGS]{}';
    expect(parseEveryWay(mistralArgsFormat, text).calls).toEqual([
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_time', arguments: '{}' },
    ]);
    expect(parseEveryWay(mistralFormat, '[TOOL_CALLS]f[CALL_ID]abc123[ARGS]{"a": 1}').calls).toEqual([
      { name: 'f', arguments: '{"a":1}' },
    ]);
  });

  it('returns malformed and partial calls as content, and other text as it is', () => {
    for (const text of [
      '[TOOL_CALLS][{"name": "a", "arguments": {"x": 1}',
      '[TOOL_CALLS][]',
      '[TOOL_CALLS]f{"a": 1}',
      '[TOOL_CALLS][{"name": "a", "arguments": 5}]',
      '[TOOL_CA',
      '[1, 2, 3]',
      'Just text [with brackets]',
    ]) {
      expect(parseEveryWay(mistralFormat, text), text).toEqual({ content: text, calls: [] });
    }
  });

  it('is detected from Mistral templates, the [ARGS] variant first', () => {
    expect(mistralFormat.detect('{{ "[TOOL_CALLS]" }}')).toBe(true);
    expect(mistralArgsFormat.detect('{{ "[TOOL_CALLS]" + name + "[ARGS]" }}')).toBe(true);
    expect(mistralArgsFormat.detect('{{ "[TOOL_CALLS]" }}')).toBe(false);
  });
});
