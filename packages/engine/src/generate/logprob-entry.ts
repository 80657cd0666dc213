/** Turns a raw logprob report into OpenAI's per-token logprob entry. */
import type { TokenLogprob, TopLogprob } from '@cinder/protocol';
import type { SampledToken } from '../runtime/runtime.ts';
import type { TextTokenizer } from '../text/tokenizer.ts';

export interface LogprobReport {
  /** log-sum-exp of the raw logits row: logprob(id) = logits[id] - logSumExp. */
  readonly logSumExp: number;
  readonly logits: Float32Array;
  /** The `topN` most likely ids with their logprobs, most likely first. */
  readonly top: ReadonlyArray<{ readonly id: number; readonly logprob: number }>;
}

export function logprobEntry(
  tokenizer: TextTokenizer,
  report: LogprobReport,
  token: number,
  asIds: boolean,
): TokenLogprob {
  const top: TopLogprob[] = report.top.map(({ id, logprob }) => describe(tokenizer, id, logprob, asIds));
  return { ...describe(tokenizer, token, report.logits[token] - report.logSumExp, asIds), top_logprobs: top };
}

/** The same entry from a token sampled on the device, which reports its own raw logprobs. */
export function sampledEntry(tokenizer: TextTokenizer, sampled: SampledToken, asIds: boolean): TokenLogprob {
  const top: TopLogprob[] = sampled.top.map(({ id, logprob }) => describe(tokenizer, id, logprob, asIds));
  return { ...describe(tokenizer, sampled.token, sampled.logprob, asIds), top_logprobs: top };
}

function describe(tokenizer: TextTokenizer, id: number, logprob: number, asIds: boolean): TopLogprob {
  return {
    token: asIds ? `token_id:${id}` : tokenizer.tokenText(id),
    // JSON cannot carry -Infinity; a token the model rules out gets the most negative finite value.
    logprob: Number.isFinite(logprob) ? logprob : -9999,
    bytes: Array.from(tokenizer.tokenBytes(id)),
  };
}
