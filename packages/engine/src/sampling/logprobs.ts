/**
 * Log-probabilities of a logits row: log_softmax, one token's logprob, and the top-N (0..20)
 * alternatives in O(V) without sorting the vocabulary. Which row to pass is the caller's choice:
 * vLLM's default ("raw_logprobs") uses the model's logits before any sampling processor.
 * A token removed by a processor has logprob -Infinity (JSON cannot carry it; vLLM sends -9999.0).
 */
import { expNonPositive } from './fast-exp.ts';
import { TopK, topKIndices } from './select.ts';

export interface TokenLogprob {
  readonly id: number;
  readonly logprob: number;
}

/** log(sum(exp(row))), computed stably. -Infinity for an all -Infinity row. */
export function logSumExp(row: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < row.length; i++) if (row[i] > max) max = row[i];
  return logSumExpBelow(row, max);
}

/** logSumExp given the row's max. */
function logSumExpBelow(row: Float32Array, max: number): number {
  if (max === Number.NEGATIVE_INFINITY || max === Number.POSITIVE_INFINITY) return max;
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += expNonPositive(row[i] - max);
  return max + Math.log(sum);
}

export function logSoftmax(
  row: Float32Array,
  out: Float32Array = new Float32Array(row.length),
): Float32Array {
  const lse = logSumExp(row);
  for (let i = 0; i < row.length; i++) out[i] = row[i] - lse;
  return out;
}

/** Logprob of one token, given the row's logSumExp (compute it once per row). */
export function tokenLogprob(row: Float32Array, id: number, lse: number = logSumExp(row)): number {
  return row[id] - lse;
}

/** The n most likely tokens, most likely first, ties to the lower id. */
export function topLogprobs(row: Float32Array, n: number, lse: number = logSumExp(row)): TokenLogprob[] {
  return topKIndices(row, n).map((id) => ({ id, logprob: row[id] - lse }));
}

/**
 * A row's logSumExp and its top n (n >= 1) in two passes instead of three: the selection pass
 * also finds the max.
 */
export function rowLogprobs(row: Float32Array, n: number): { logSumExp: number; top: TokenLogprob[] } {
  if (n <= 0) return { logSumExp: logSumExp(row), top: [] };
  const selection = new TopK();
  selection.select(row, n);
  const lse = logSumExpBelow(row, selection.max());
  return { logSumExp: lse, top: selection.sorted().map((id) => ({ id, logprob: row[id] - lse })) };
}

/** The chosen token's logprob and the top n, sharing one logSumExp pass. */
export function computeLogprobs(
  row: Float32Array,
  chosenId: number,
  n: number,
): { logprob: number; top: TokenLogprob[] } {
  const { logSumExp: lse, top } = rowLogprobs(row, n);
  return { logprob: tokenLogprob(row, chosenId, lse), top };
}
