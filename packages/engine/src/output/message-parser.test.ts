import { describe, expect, it } from 'vitest';
import { hermesFormat } from '../tools/formats/hermes.ts';
import { MessageParser, type MessageParserOptions, type MessageParts } from './message-parser.ts';

function readAll(options: MessageParserOptions, text: string, size: number): MessageParts {
  const parser = new MessageParser(options);
  let reasoning = '';
  let content = '';
  const calls: MessageParts['calls'][number][] = [];
  for (let i = 0; i < text.length; i += size) {
    const end = i + size >= text.length;
    const part = parser.read(text.slice(i, i + size), 1, end);
    reasoning += part.reasoning;
    content += part.content;
    calls.push(...part.calls);
  }
  return { reasoning, content, calls };
}

const thinking = { startsInReasoning: false, mayOpen: true };
const call = '<tool_call>\n{"name": "f", "arguments": {"a": 1}}\n</tool_call>';

describe('MessageParser', () => {
  it('splits reasoning first and reads calls only in the answer', () => {
    const text = `<think>maybe ${call}</think>\n\nSure.\n${call}\n`;
    const options = { reasoning: thinking, toolFormat: hermesFormat, maxCalls: Number.POSITIVE_INFINITY };
    for (const size of [1, 4, 1000]) {
      expect(readAll(options, text, size)).toEqual({
        reasoning: `maybe ${call}`,
        content: 'Sure.',
        calls: [{ name: 'f', arguments: '{"a":1}' }],
      });
    }
  });

  it('has no content when the answer is only calls, and keeps blank text otherwise', () => {
    const tools = { reasoning: null, toolFormat: hermesFormat, maxCalls: 5 };
    expect(readAll(tools, `\n${call}\n\n${call}\n`, 3)).toMatchObject({ content: '', calls: [{}, {}] });
    expect(readAll(tools, ' a \n', 1).content).toBe(' a \n');
  });

  it('keeps at most maxCalls calls', () => {
    const one = { reasoning: null, toolFormat: hermesFormat, maxCalls: 1 };
    expect(readAll(one, call + call, 7).calls).toHaveLength(1);
  });

  it('counts reasoning tokens, tags included', () => {
    const parser = new MessageParser({ reasoning: thinking, toolFormat: null, maxCalls: 0 });
    for (const piece of ['<think>', 'a', 'b', '</think>', 'answer']) parser.read(piece, 1, false);
    parser.read('', 0, true);
    expect(parser.reasoningTokens).toBe(4);
  });
});
