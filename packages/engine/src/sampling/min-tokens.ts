import type { LogitsProcessor } from './types.ts';

/**
 * `min_tokens`: until that many tokens are generated, the tokens that would end generation
 * (stop_token_ids, and EOS unless ignore_eos) cannot be sampled.
 */
export function minTokensProcessor(minTokens: number, endTokenIds: readonly number[]): LogitsProcessor {
  const ids = [...new Set(endTokenIds)];
  return {
    name: 'min-tokens',
    apply(logits, context) {
      if (context.generatedIds.length >= minTokens) return;
      for (const id of ids) if (id >= 0 && id < logits.length) logits[id] = Number.NEGATIVE_INFINITY;
    },
    additions: (context) =>
      context.generatedIds.length >= minTokens
        ? []
        : ids.map((id) => [id, Number.NEGATIVE_INFINITY] as const),
  };
}
