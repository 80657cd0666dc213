/**
 * Logprobs of the raw model distribution (vLLM's default `raw_logprobs`): log-softmax of the
 * logits row before any sampling processor, plus the top N (N <= 20) in one O(V) pass.
 */
import type { LogprobReport } from './logprob-entry.ts';

export function rawLogprobs(row: Float32Array, topN: number): LogprobReport {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i] - max);
  const logSumExp = max + Math.log(sum);

  // Keep the best `topN` ids in descending order; most rows never enter the insertion path.
  const ids: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < row.length && topN > 0; i++) {
    const v = row[i];
    if (ids.length === topN && v <= values[topN - 1]) continue;
    let at = ids.length === topN ? topN - 1 : ids.length;
    while (at > 0 && values[at - 1] < v) at--;
    ids.splice(at, 0, i);
    values.splice(at, 0, v);
    if (ids.length > topN) {
      ids.pop();
      values.pop();
    }
  }
  return {
    logSumExp,
    logits: row.slice(),
    top: ids.map((id, k) => ({ id, logprob: values[k] - logSumExp })),
  };
}
