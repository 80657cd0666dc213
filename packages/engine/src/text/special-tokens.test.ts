import { expect, test } from 'vitest';
import { renderChatTemplate } from './chat-template.ts';
import { specialTokensMap, tokenContent } from './special-tokens.ts';

test('special tokens may be strings, AddedToken objects or null', () => {
  const config = {
    bos_token: { __type: 'AddedToken', content: '<s>', lstrip: false },
    eos_token: '</s>',
    pad_token: null,
    unk_token: { content: 42 },
    chat_template: 'ignored',
  };
  expect(tokenContent(config.bos_token)).toBe('<s>');
  expect(tokenContent(config.pad_token)).toBeNull();
  expect(specialTokensMap(config)).toEqual({ bos_token: '<s>', eos_token: '</s>' });
  const template = '{{ bos_token }}{{ messages[0].content }}{{ eos_token }}|{{ pad_token is defined }}';
  expect(
    renderChatTemplate(template, {
      messages: [{ role: 'user', content: 'x' }],
      specialTokens: specialTokensMap(config),
    }),
  ).toBe('<s>x</s>|false');
});
