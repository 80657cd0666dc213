/**
 * vLLM's `prompt_logprobs`: for every prompt token after the first, its logprob under the model
 * given the tokens before it, its rank, and the top-N alternatives. Filled from the prefill
 * steps' logits (one row per prompt position), then laid out as vLLM returns it.
 */
import type { PromptLogprob } from '@cinder/protocol';
import { logSumExp, topLogprobs } from '../sampling/index.ts';

type PositionEntry = Record<string, PromptLogprob>;

export class PromptLogprobs {
  private readonly entries: (PositionEntry | null)[];

  constructor(
    private readonly promptIds: readonly number[],
    private readonly topN: number,
    private readonly tokenText: (id: number) => string,
  ) {
    this.entries = promptIds.map(() => null);
  }

  /** `rows` holds the logits of prompt positions `[first, first + count)`; row p scores token p + 1. */
  addRows(rows: Float32Array, first: number, count: number): void {
    const vocab = rows.length / count;
    for (let j = 0; j < count; j++) {
      const next = first + j + 1;
      if (next >= this.promptIds.length) break;
      const row = rows.subarray(j * vocab, (j + 1) * vocab);
      const lse = logSumExp(row);
      const entry: PositionEntry = {};
      const token = this.promptIds[next];
      for (const [rank, { id, logprob }] of topLogprobs(row, this.topN, lse).entries()) {
        entry[id] = { logprob, rank: rank + 1, decoded_token: this.tokenText(id) };
      }
      if (!(token in entry)) {
        let above = 0;
        for (let i = 0; i < row.length; i++) if (row[i] > row[token]) above++;
        entry[token] = { logprob: row[token] - lse, rank: above + 1, decoded_token: this.tokenText(token) };
      }
      this.entries[next] = entry;
    }
  }

  /** One entry per prompt token; the first is null (nothing precedes it). */
  result(): (PositionEntry | null)[] {
    return this.entries;
  }
}
