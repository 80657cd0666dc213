import type { LogitsProcessor } from './types.ts';

/**
 * min_p: drop tokens whose probability is below `minP` times the top token's probability.
 * p_i < minP * p_max  <=>  logit_i < logit_max + ln(minP), so no softmax is needed.
 * Runs after temperature, as in vLLM.
 */
export function minPProcessor(minP: number): LogitsProcessor {
  const logMinP = Math.log(minP);
  return {
    name: 'min-p',
    apply(logits) {
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < logits.length; i++) if (logits[i] > max) max = logits[i];
      if (max === Number.NEGATIVE_INFINITY) return;
      const threshold = max + logMinP;
      for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = Number.NEGATIVE_INFINITY;
    },
  };
}
