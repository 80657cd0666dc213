import type { LogitsProcessor } from './types.ts';

const BINS = 1024;
/** Tokens more than this far below the top logit weigh < e^-80 each: they share the last bin. */
const RANGE = 80;

/**
 * top_p (nucleus): keep the smallest set of highest-probability tokens whose mass reaches p.
 * Exactly vLLM's rule: a token is kept when the mass of the tokens ranked above it is < p
 * (ties ranked by lower id first). Runs after temperature, min_p and top_k.
 *
 * No sort of the vocabulary: one pass buckets tokens by logit (1024 bins between the top logit
 * and 80 below it) and sums each bin's mass; the bin where the running mass crosses p is the only
 * one whose tokens need sorting. Cost: two O(V) passes with one exp each, plus a small sort.
 */
export function topPProcessor(p: number): LogitsProcessor {
  const mass = new Float64Array(BINS);
  /** Bin of each token from the first pass (BINS for a masked token). */
  let bins = new Uint16Array(0);
  const members: number[] = [];
  return {
    name: 'top-p',
    apply(logits) {
      if (p >= 1) return;
      const n = logits.length;
      let max = Number.NEGATIVE_INFINITY;
      let min = Number.POSITIVE_INFINITY;
      for (let i = 0; i < n; i++) {
        const v = logits[i];
        if (v === Number.NEGATIVE_INFINITY) continue;
        if (v > max) max = v;
        if (v < min) min = v;
      }
      if (max === Number.NEGATIVE_INFINITY) return;
      const span = Math.min(max - min, RANGE);
      const scale = span > 0 ? (BINS - 1) / span : 0;
      if (bins.length < n) bins = new Uint16Array(n);

      mass.fill(0);
      let total = 0;
      for (let i = 0; i < n; i++) {
        const v = logits[i];
        if (v === Number.NEGATIVE_INFINITY) {
          bins[i] = BINS;
          continue;
        }
        const x = (max - v) * scale; // clamp before truncating: `| 0` wraps huge values
        const b = x >= BINS - 1 ? BINS - 1 : x | 0;
        const w = Math.exp(v - max);
        bins[i] = b;
        total += w;
        mass[b] += w;
      }
      const target = p * total;

      // The bin where the mass of everything above (bins before it) plus itself reaches p.
      let crossing = BINS - 1;
      let above = 0;
      for (let b = 0; b < BINS; b++) {
        if (above + mass[b] >= target) {
          crossing = b;
          break;
        }
        above += mass[b];
      }

      members.length = 0;
      for (let i = 0; i < n; i++) {
        const b = bins[i];
        if (b < crossing) continue;
        if (b === crossing) members.push(i);
        else if (b < BINS) logits[i] = Number.NEGATIVE_INFINITY;
      }
      members.sort((a, b) => logits[b] - logits[a] || a - b);
      let cumulative = above;
      for (const id of members) {
        if (cumulative < target) cumulative += Math.exp(logits[id] - max);
        else logits[id] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
