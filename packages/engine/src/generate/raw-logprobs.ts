/**
 * Logprobs of the raw model distribution (vLLM's default `raw_logprobs`): taken from the logits
 * row before any sampling processor edits it, so the row is copied for the chosen token's lookup.
 */
import { rowLogprobs } from '../sampling/index.ts';
import type { LogprobReport } from './logprob-entry.ts';

export function rawLogprobs(row: Float32Array, topN: number): LogprobReport {
  const { logSumExp, top } = rowLogprobs(row, topN);
  return { logSumExp, logits: row.slice(), top };
}
