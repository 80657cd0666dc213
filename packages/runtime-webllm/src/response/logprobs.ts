/**
 * WebLLM's logprob entries -> ours. WebLLM 0.2.86 records an entry per sampled token only when
 * `top_logprobs >= 1` (so plan.ts always asks for at least 1); when the client sent
 * `logprobs: true` alone the alternatives are dropped again, as OpenAI answers `top_logprobs: []`.
 * A token whose probability underflowed gets `Math.log(0) = -Infinity` from WebLLM, which JSON
 * cannot carry (it would become `null`): it is written -9999.0, as vLLM and cinder's runtime do.
 * The values are WebLLM's: the log of the distribution it samples from (after temperature,
 * penalties and logit_bias), not the raw model distribution cinder's runtime reports.
 */
import type { ChoiceLogprobs, TokenLogprob, TopLogprob } from '@cinder/protocol';
import type { WebLlmTokenLogprob } from '../webllm-types.ts';

const FLOOR = -9999;

export function finiteLogprob(value: number): number {
  return Number.isFinite(value) ? value : FLOOR;
}

function top(entry: TopLogprob): TopLogprob {
  return { token: entry.token, logprob: finiteLogprob(entry.logprob), bytes: entry.bytes };
}

export function mapLogprobEntries(
  entries: readonly WebLlmTokenLogprob[],
  topLogprobs: number,
): TokenLogprob[] {
  return entries.map((entry) => ({
    ...top(entry),
    top_logprobs: entry.top_logprobs.slice(0, topLogprobs).map(top),
  }));
}

/**
 * A choice's logprobs. WebLLM also records the EOS token that ended the choice (decoded as '');
 * it is not part of the output, so it is dropped, as OpenAI and cinder's runtime send no entry for it.
 */
export function choiceLogprobs(
  entries: readonly WebLlmTokenLogprob[],
  topLogprobs: number,
  finishReason: string,
): ChoiceLogprobs {
  const last = entries[entries.length - 1];
  const kept = finishReason === 'stop' && last?.token === '' ? entries.slice(0, -1) : entries;
  return { content: mapLogprobEntries(kept, topLogprobs), refusal: null };
}
