import type { LogitsProcessor, SamplingContext } from './types.ts';

export interface PenaltyOptions {
  /** Subtracted once from every token that appears in the output. OpenAI range [-2, 2]. */
  readonly presencePenalty?: number;
  /** Subtracted once per occurrence in the output. OpenAI range [-2, 2]. */
  readonly frequencyPenalty?: number;
  /** > 1 discourages tokens seen in the prompt or the output: positive logits are divided by it, negative ones multiplied. */
  readonly repetitionPenalty?: number;
}

/**
 * vLLM's penalties: repetition penalty over prompt + output tokens, then frequency and presence
 * over output tokens only. Counts are kept incrementally (only new tokens are read each step), so
 * the cost per step is the number of distinct tokens seen, not a pass over the whole history.
 * One instance serves one sequence; if `generatedIds` gets shorter, the counts are rebuilt.
 */
export function penaltiesProcessor(options: PenaltyOptions): LogitsProcessor {
  const presence = options.presencePenalty ?? 0;
  const frequency = options.frequencyPenalty ?? 0;
  const repetition = options.repetitionPenalty ?? 1;
  const counts = new Map<number, number>();
  let counted = 0;
  let promptIds: readonly number[] | null = null;
  let promptSet = new Set<number>();
  /** Every distinct id seen (prompt first, then generated ids not in the prompt): the ones to penalize. */
  const seen: number[] = [];

  function update(context: SamplingContext): void {
    const generated = context.generatedIds;
    if (context.promptIds !== promptIds || generated.length < counted) {
      promptIds = context.promptIds;
      promptSet = new Set(promptIds);
      seen.length = 0;
      for (const id of promptSet) seen.push(id);
      counts.clear();
      counted = 0;
    }
    for (; counted < generated.length; counted++) {
      const id = generated[counted];
      const count = counts.get(id) ?? 0;
      if (count === 0 && !promptSet.has(id)) seen.push(id);
      counts.set(id, count + 1);
    }
  }

  // Presence and frequency subtract; the repetition penalty scales by sign, so it has no additions.
  const additions =
    repetition === 1
      ? (context: SamplingContext) => {
          update(context);
          return [...counts].map(([id, count]) => [id, -(frequency * count + presence)] as const);
        }
      : undefined;

  return {
    name: 'penalties',
    additions,
    apply(logits, context) {
      update(context);
      const n = logits.length;
      if (repetition !== 1) {
        for (const id of seen) {
          if (id < 0 || id >= n) continue;
          const value = logits[id];
          logits[id] = value > 0 ? value / repetition : value * repetition;
        }
      }
      if (presence !== 0 || frequency !== 0) {
        for (const [id, count] of counts) if (id >= 0 && id < n) logits[id] -= frequency * count + presence;
      }
    },
  };
}
