import { describe, expect, it } from 'vitest';
import { parseEveryWay } from '../parser-harness.ts';
import { llama3JsonFormat } from './llama3-json.ts';

describe('llama 3 JSON tool calls', () => {
  it('reads an answer that is a call object (parameters or arguments)', () => {
    expect(
      parseEveryWay(llama3JsonFormat, '{"name": "get_weather", "parameters": {"city": "Paris"}}'),
    ).toEqual({
      content: '',
      calls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    expect(parseEveryWay(llama3JsonFormat, '  {"name": "f", "arguments": {}}  ').calls).toEqual([
      { name: 'f', arguments: '{}' },
    ]);
  });

  it('reads the python tag and several calls separated by ;', () => {
    const text = '<|python_tag|>{"name": "a", "parameters": {"x": 1}}; {"name": "b", "parameters": {}}';
    expect(parseEveryWay(llama3JsonFormat, text).calls).toEqual([
      { name: 'a', arguments: '{"x":1}' },
      { name: 'b', arguments: '{}' },
    ]);
  });

  it('streams other answers as content, and gives back broken calls as content', () => {
    expect(parseEveryWay(llama3JsonFormat, 'The weather is {"sunny": true}.')).toEqual({
      content: 'The weather is {"sunny": true}.',
      calls: [],
    });
    for (const text of [
      '{"name": "f", "parameters": {"x": 1}',
      '{"city": "Paris"}',
      '{"name": "f"} trailing',
      '<|python',
    ]) {
      expect(parseEveryWay(llama3JsonFormat, text), text).toEqual({ content: text, calls: [] });
    }
  });

  it('is detected from Llama 3.1+ tool templates, not plain Llama 3 ones', () => {
    expect(llama3JsonFormat.detect('<|start_header_id|>ipython<|end_header_id|>')).toBe(true);
    expect(llama3JsonFormat.detect('{{ "<|python_tag|>" }}')).toBe(true);
    expect(llama3JsonFormat.detect("{{ '<|start_header_id|>' + message['role'] }}")).toBe(false);
  });
});
