import { kthLargest } from './select.ts';
import type { LogitsProcessor } from './types.ts';

/**
 * top_k: keep the k highest logits. Tokens tied with the k-th value are kept too (vLLM masks
 * `logits < kth_value`). k <= 0 or k >= vocabulary means off. O(V) partial selection.
 */
export function topKProcessor(k: number): LogitsProcessor {
  return {
    name: 'top-k',
    apply(logits) {
      if (k <= 0 || k >= logits.length) return;
      const threshold = kthLargest(logits, k);
      if (threshold === Number.NEGATIVE_INFINITY) return;
      for (let i = 0; i < logits.length; i++) if (logits[i] < threshold) logits[i] = Number.NEGATIVE_INFINITY;
    },
  };
}
