import type { LogitsProcessor } from './types.ts';

/**
 * `bad_words` (already tokenized; vLLM tokenizes each word with and without a leading space).
 * A one-token bad word is always banned. A longer one bans its last token when the generated
 * text ends with the word's other tokens, so the whole word can never be completed. Only
 * generated tokens count, as in vLLM.
 */
export function badWordsProcessor(badWordsIds: readonly (readonly number[])[]): LogitsProcessor {
  const words = badWordsIds.filter((word) => word.length > 0).map((word) => [...word]);
  return {
    name: 'bad-words',
    apply(logits, context) {
      const past = context.generatedIds;
      for (const word of words) {
        const prefix = word.length - 1;
        if (prefix > past.length) continue;
        let matches = true;
        for (let j = 0; j < prefix && matches; j++) matches = past[past.length - prefix + j] === word[j];
        const last = word[prefix];
        if (matches && last >= 0 && last < logits.length) logits[last] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
