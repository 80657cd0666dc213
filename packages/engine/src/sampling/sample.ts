import { expNonPositive } from './fast-exp.ts';
import type { Rng } from './rng.ts';

/**
 * The last step of sampling: pick one id from a processed logits row.
 * If every entry is -Infinity (e.g. allowed_token_ids all banned by min_tokens), both return 0,
 * as torch.argmax does on such a row.
 */

/** Greedy: the highest logit, ties to the lowest id. NaN entries are ignored. */
export function argmax(logits: Float32Array): number {
  let best = 0;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i] > bestValue) {
      bestValue = logits[i];
      best = i;
    }
  }
  return best;
}

/**
 * Draw from softmax(logits). `scratch` (at least logits.length long) keeps the weights between
 * the two passes; pass one in to avoid an allocation per token.
 */
export function sampleCategorical(logits: Float32Array, rng: Rng, scratch?: Float64Array): number {
  const n = logits.length;
  const weights = scratch && scratch.length >= n ? scratch : new Float64Array(n);
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  if (max === Number.NEGATIVE_INFINITY) return 0;
  let total = 0;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const v = logits[i];
    const w = v > Number.NEGATIVE_INFINITY ? expNonPositive(v - max) : 0;
    weights[i] = w;
    total += w;
    if (w > 0) last = i;
  }
  const u = rng.nextFloat() * total;
  let cumulative = 0;
  for (let i = 0; i <= last; i++) {
    cumulative += weights[i];
    if (u < cumulative) return i;
  }
  return last; // rounding: u landed on the very end
}
