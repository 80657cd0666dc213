import type { LogitsProcessor } from './types.ts';

/**
 * `bad_words` (already tokenized; vLLM tokenizes each word with and without a leading space).
 * A one-token bad word is always banned. A longer one bans its last token when the generated
 * text ends with the word's other tokens, so the whole word can never be completed. Only
 * generated tokens count, as in vLLM.
 */
export function badWordsProcessor(badWordsIds: readonly (readonly number[])[]): LogitsProcessor {
  const words = badWordsIds.filter((word) => word.length > 0).map((word) => [...word]);
  /** The last token of every word whose other tokens end the output. */
  const banned = (past: readonly number[]): number[] => {
    const ids: number[] = [];
    for (const word of words) {
      const prefix = word.length - 1;
      if (prefix > past.length) continue;
      let matches = true;
      for (let j = 0; j < prefix && matches; j++) matches = past[past.length - prefix + j] === word[j];
      if (matches) ids.push(word[prefix]);
    }
    return ids;
  };
  return {
    name: 'bad-words',
    apply(logits, context) {
      for (const id of banned(context.generatedIds))
        if (id >= 0 && id < logits.length) logits[id] = Number.NEGATIVE_INFINITY;
    },
    additions: (context) => banned(context.generatedIds).map((id) => [id, Number.NEGATIVE_INFINITY] as const),
  };
}
