import type { LogitsProcessor } from './types.ts';

/** OpenAI `logit_bias`: add a bias to given token ids (validation clamps to [-100, 100]). */
export function logitBiasProcessor(bias: ReadonlyMap<number, number>): LogitsProcessor {
  const entries = [...bias];
  return {
    name: 'logit-bias',
    apply(logits) {
      for (const [id, value] of entries) if (id >= 0 && id < logits.length) logits[id] += value;
    },
    additions: () => entries,
  };
}
