/**
 * Logprobs of the raw model distribution (vLLM's default `raw_logprobs`): taken from the logits
 * row before any sampling processor edits it, so the row is copied for the chosen token's lookup.
 */
import { logSumExp, topLogprobs } from '../sampling/index.ts';
import type { LogprobReport } from './logprob-entry.ts';

export function rawLogprobs(row: Float32Array, topN: number): LogprobReport {
  const lse = logSumExp(row);
  return { logSumExp: lse, logits: row.slice(), top: topLogprobs(row, topN, lse) };
}
