import { describe, expect, it } from 'vitest';
import { parseEveryWay } from '../parser-harness.ts';
import { hermesFormat } from './hermes.ts';

const call = (name: string, args: object) =>
  `<tool_call>\n${JSON.stringify({ name, arguments: args })}\n</tool_call>`;

describe('hermes / qwen tool calls', () => {
  it('reads calls between tags, with the text around them as content', () => {
    const text = `Let me check.\n${call('get_weather', { city: 'Paris' })}\n${call('get_time', {})}`;
    expect(parseEveryWay(hermesFormat, text)).toEqual({
      content: 'Let me check.\n\n',
      calls: [
        { name: 'get_weather', arguments: '{"city":"Paris"}' },
        { name: 'get_time', arguments: '{}' },
      ],
    });
  });

  it('reads the exact layout the Qwen template documents', () => {
    const text =
      '<tool_call>\n{"name": "f", "arguments": {"a": [1, 2], "b": "x</tool_call>y"}}\n</tool_call>';
    // A closing tag inside a JSON string ends the call early: the broken call is content.
    expect(parseEveryWay(hermesFormat, text).calls).toEqual([]);
    const plain = '<tool_call>\n{"name": "f", "arguments": {"a": [1, 2], "b": "x"}}\n</tool_call>';
    expect(parseEveryWay(hermesFormat, plain)).toEqual({
      content: '',
      calls: [{ name: 'f', arguments: '{"a":[1,2],"b":"x"}' }],
    });
  });

  it('accepts a call whose end tag was cut off, if its JSON is complete', () => {
    expect(parseEveryWay(hermesFormat, '<tool_call>\n{"name": "f", "arguments": {}}')).toEqual({
      content: '',
      calls: [{ name: 'f', arguments: '{}' }],
    });
  });

  it('returns malformed and partial calls as content, never throwing', () => {
    for (const text of [
      '<tool_call>\n{"name": "f", "arguments": {"a": 1}\n</tool_call>',
      '<tool_call>not json</tool_call> after',
      '<tool_call>\n{"arguments": {}}\n</tool_call>',
      '<tool_call>\n{"name": "f", "arguments": [1]}\n</tool_call>',
      '<tool_call>\n{"name": "f", "argu',
      'text <tool_ca',
    ]) {
      const result = parseEveryWay(hermesFormat, text);
      expect(result.calls, text).toEqual([]);
      expect(result.content, text).toBe(text);
    }
  });

  it('accepts parameters in place of arguments, and stringified arguments', () => {
    expect(
      parseEveryWay(hermesFormat, '<tool_call>{"name": "f", "parameters": {"x": 1}}</tool_call>').calls,
    ).toEqual([{ name: 'f', arguments: '{"x":1}' }]);
    expect(
      parseEveryWay(hermesFormat, '<tool_call>{"name": "f", "arguments": "{\\"x\\": 1}"}</tool_call>').calls,
    ).toEqual([{ name: 'f', arguments: '{"x":1}' }]);
  });

  it('is detected from templates that write <tool_call>', () => {
    expect(hermesFormat.detect('{{- "<tool_call>\\n" }}')).toBe(true);
    expect(hermesFormat.detect('{{ message.content }}')).toBe(false);
  });
});
