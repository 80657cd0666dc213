/** What a request body promises about its answer (choice count, token limit, stop strings, ...). */
import type { Json, JsonObject } from './case.ts';

export interface RequestFacts {
  readonly model: string | undefined;
  readonly stream: boolean;
  readonly n: number;
  /** max_completion_tokens, else max_tokens. */
  readonly limit: number | undefined;
  readonly stops: readonly string[];
  readonly keepsStop: boolean;
  readonly logprobs: boolean;
  readonly topLogprobs: number;
  readonly tokensAsIds: boolean;
  readonly returnTokenIds: boolean;
  readonly includeUsage: boolean;
  readonly continuousUsage: boolean;
  /** tool_choice "none", or no tools at all: the answer must not call a tool. */
  readonly noToolCalls: boolean;
  readonly includeReasoning: boolean;
  readonly ignoreEos: boolean;
  readonly hasStopTokenIds: boolean;
  readonly minTokens: number;
  readonly truncatePrompt: number | undefined;
  readonly echo: boolean;
  /** vLLM prompt_logprobs (top-k per prompt token), when asked for. */
  readonly promptLogprobs: number | undefined;
}

const num = (value: Json | undefined): number | undefined => (typeof value === 'number' ? value : undefined);
const obj = (value: Json | undefined): JsonObject =>
  value && typeof value === 'object' && !Array.isArray(value) ? value : {};

export function requestFacts(body: JsonObject): RequestFacts {
  const stop = body.stop;
  const options = obj(body.stream_options);
  const stopTokenIds = body.stop_token_ids;
  return {
    model: typeof body.model === 'string' ? body.model : undefined,
    stream: body.stream === true,
    n: num(body.n) ?? 1,
    limit: num(body.max_completion_tokens) ?? num(body.max_tokens),
    stops:
      typeof stop === 'string'
        ? [stop]
        : Array.isArray(stop)
          ? stop.filter((s): s is string => typeof s === 'string')
          : [],
    keepsStop: body.include_stop_str_in_output === true,
    logprobs: body.logprobs === true,
    topLogprobs: num(body.top_logprobs) ?? 0,
    tokensAsIds: body.return_tokens_as_token_ids === true,
    returnTokenIds: body.return_token_ids === true,
    includeUsage: options.include_usage === true,
    // vLLM streams per-chunk usage only when include_usage is on as well.
    continuousUsage: options.include_usage === true && options.continuous_usage_stats === true,
    noToolCalls: !(Array.isArray(body.tools) && body.tools.length > 0) || body.tool_choice === 'none',
    includeReasoning: body.include_reasoning !== false,
    ignoreEos: body.ignore_eos === true,
    hasStopTokenIds: Array.isArray(stopTokenIds) && stopTokenIds.length > 0,
    minTokens: num(body.min_tokens) ?? 0,
    truncatePrompt: num(body.truncate_prompt_tokens),
    echo: body.echo === true,
    promptLogprobs: num(body.prompt_logprobs),
  };
}
