/** One thinking choice: split, include_reasoning, WebLLM's empty block dropped, tokens counted. */
import { describe, expect, test } from 'vitest';
import { ChoiceReasoning, type ReasoningPlan } from './choice-reasoning.ts';

const qwen3 = { switchable: true, startsInReasoning: false };
const plan = (fields: Partial<ReasoningPlan> = {}): ReasoningPlan => ({
  thinking: qwen3,
  thinkingOff: false,
  includeReasoning: true,
  ...fields,
});
const tokens = ['<think>', '\n', 'Add', ' them', '.\n', '</think>', '\n\n', 'It', ' is', ' 4', '.', ''];

function readTokens(reader: ChoiceReasoning, pieces: readonly string[]) {
  let reasoning = '';
  let content = '';
  for (const piece of pieces) {
    reader.countToken(piece);
    const parts = reader.push(piece);
    reasoning += parts.reasoning;
    content += parts.content;
  }
  const rest = reader.finish();
  return { reasoning: reasoning + rest.reasoning, content: content + rest.content };
}

describe('ChoiceReasoning', () => {
  test('splits the block off and counts the tokens inside it, tags included', () => {
    const reader = new ChoiceReasoning(plan());
    expect(readTokens(reader, tokens)).toEqual({ reasoning: '\nAdd them.\n', content: 'It is 4.' });
    expect(reader.reasoningTokens).toBe(6);
  });

  test('include_reasoning false: the reasoning text is left out, its tokens still counted', () => {
    const reader = new ChoiceReasoning(plan({ includeReasoning: false }));
    expect(readTokens(reader, tokens)).toEqual({ reasoning: '', content: 'It is 4.' });
    expect(reader.reasoningTokens).toBe(6);
  });

  test("thinking off: WebLLM's empty block is dropped from the output, not reasoning", () => {
    const reader = new ChoiceReasoning(plan({ thinkingOff: true }));
    expect(readTokens(reader, ['<think>\n\n</think>\n\nIt', ' is'])).toEqual({
      reasoning: '',
      content: 'It is',
    });
    expect(reader.reasoningTokens).toBe(0);
    // Token texts from logprob entries lack the block: nothing to drop there.
    const fromEntries = new ChoiceReasoning(plan({ thinkingOff: true }));
    fromEntries.countToken('It');
    expect(fromEntries.reasoningTokens).toBe(0);
    expect(fromEntries.read('<think>\n\n</think>\n\nIt')).toEqual({ reasoning: '', content: 'It' });
  });

  test('the empty block arriving in pieces is dropped too; other text is kept', () => {
    const reader = new ChoiceReasoning(plan({ thinkingOff: true }));
    expect(readTokens(reader, ['<think>', '\n\n', '</think>', '\n\nOK'])).toEqual({
      reasoning: '',
      content: 'OK',
    });
    expect(new ChoiceReasoning(plan({ thinkingOff: true })).read('<thinking aloud')).toEqual({
      reasoning: '',
      content: '<thinking aloud',
    });
  });

  test('a prompt that opened the block: the output starts inside it', () => {
    const reader = new ChoiceReasoning(plan({ thinking: { switchable: false, startsInReasoning: true } }));
    expect(readTokens(reader, tokens.slice(1))).toEqual({ reasoning: '\nAdd them.\n', content: 'It is 4.' });
    expect(reader.reasoningTokens).toBe(5);
  });

  test('cut off while thinking: all of it is reasoning, every token counted', () => {
    const reader = new ChoiceReasoning(plan());
    expect(readTokens(reader, tokens.slice(0, 4))).toEqual({ reasoning: '\nAdd them', content: '' });
    expect(reader.reasoningTokens).toBe(4);
  });
});
