import { type Candidates, sharedCandidates } from './candidates.ts';
import { expNonPositive } from './fast-exp.ts';
import { NucleusCut } from './nucleus.ts';
import type { LogitsProcessor } from './types.ts';

/**
 * top_p (nucleus): keep the smallest set of highest-probability tokens whose mass reaches p.
 * Exactly vLLM's rule: a token is kept when the mass of the tokens ranked above it is < p
 * (ties ranked by lower id first). Runs after temperature, min_p and top_k.
 *
 * The unmasked tokens become a candidate list with softmax weights (one exp each); nucleus.ts
 * finds the cut without sorting the vocabulary, and everything below it is masked.
 * (The sampler's own draw does the same without writing the mask: see truncated-draw.ts.)
 */
export function topPProcessor(p: number, candidates: Candidates = sharedCandidates): LogitsProcessor {
  const cut = new NucleusCut();
  return {
    name: 'top-p',
    apply(logits) {
      if (p >= 1) return;
      const n = logits.length;
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
      if (max === Number.NEGATIVE_INFINITY) return;

      candidates.reserve(n);
      const { ids, values, weights } = candidates;
      let count = 0;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = logits[i];
        if (!(v > Number.NEGATIVE_INFINITY)) continue;
        const w = expNonPositive(v - max);
        ids[count] = i;
        values[count] = v;
        weights[count++] = w;
        total += w;
      }
      candidates.count = count;
      cut.find(candidates, total, p);
      for (let j = 0; j < count; j++) {
        if (!cut.keeps(values[j], ids[j])) logits[ids[j]] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
