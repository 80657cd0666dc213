import { describe, expect, it } from 'vitest';
import { type SplitText, ThinkSplitter } from './think-splitter.ts';

function split(text: string, startInReasoning: boolean, size: number): SplitText {
  const splitter = new ThinkSplitter(startInReasoning);
  let reasoning = '';
  let content = '';
  for (let i = 0; i < text.length; i += size) {
    const part = splitter.push(text.slice(i, i + size));
    reasoning += part.reasoning;
    content += part.content;
  }
  const rest = splitter.finish();
  return { reasoning: reasoning + rest.reasoning, content: content + rest.content };
}

/** Whole and cut in every small size: all the same. */
function splitEveryWay(text: string, startInReasoning = false): SplitText {
  const whole = split(text, startInReasoning, text.length || 1);
  for (const size of [1, 2, 3, 5]) expect(split(text, startInReasoning, size)).toEqual(whole);
  return whole;
}

describe('ThinkSplitter', () => {
  it('splits a Qwen3 answer into reasoning and content', () => {
    expect(splitEveryWay('<think>\nLet me think.\n</think>\n\nThe answer is 4.')).toEqual({
      reasoning: '\nLet me think.\n',
      content: 'The answer is 4.',
    });
  });

  it('starts inside the block when the prompt opened it (DeepSeek-R1 style)', () => {
    expect(splitEveryWay('I should add.</think>4', true)).toEqual({
      reasoning: 'I should add.',
      content: '4',
    });
  });

  it('treats text without a leading block as content, tags later on included', () => {
    expect(splitEveryWay('Hello <think>x</think>')).toEqual({
      reasoning: '',
      content: 'Hello <think>x</think>',
    });
    expect(splitEveryWay('  \n<think>a</think>b')).toEqual({ reasoning: 'a', content: 'b' });
    expect(splitEveryWay('<thinking>')).toEqual({ reasoning: '', content: '<thinking>' });
    expect(splitEveryWay('<thi')).toEqual({ reasoning: '', content: '<thi' });
  });

  it('keeps an unclosed block as reasoning (cut off while thinking)', () => {
    expect(splitEveryWay('<think>still going </thi')).toEqual({
      reasoning: 'still going </thi',
      content: '',
    });
  });

  it('reports when it is inside the block', () => {
    const splitter = new ThinkSplitter(false);
    splitter.push('<think>');
    expect(splitter.inReasoning).toBe(true);
    splitter.push('a</think>');
    expect(splitter.inReasoning).toBe(false);
  });
});
