/**
 * `validateChatCompletionRequest(body)`: checks an untrusted `/v1/chat/completions` body against
 * OpenAI's `CreateChatCompletionRequest` and vLLM's request rules, and returns it typed (unchanged).
 * The first problem found throws a 400 `ApiError` `{message, type:'invalid_request_error', param, code}`
 * whose `param` is the offending path (`messages[1].content`, `tool_choice.function.name`, ...).
 * Model-dependent checks (token ids < vocab size, context length, model exists) belong to the engine.
 *
 * Order: body is an object -> no unknown top-level key -> `model`, `messages` present ->
 * each field's own check (validate-fields.ts, in table order) -> rules between fields (validate-rules.ts).
 *
 * Where OpenAI and vLLM disagree we take the stricter behaviour unless it would refuse a request
 * a reasonable client sends:
 *
 * | Topic                                   | OpenAI            | vLLM                   | Here                                                        |
 * |-----------------------------------------|-------------------|------------------------|-------------------------------------------------------------|
 * | unknown top-level key                   | reject            | accept, log            | reject: `Unrecognized request argument supplied: X`         |
 * | unknown key inside a nested object      | allowed by schema | accept                 | ignored (echoed response messages carry extra keys)         |
 * | `model` missing / null / ""             | reject            | use served model       | reject (the engine 404s an unknown model)                   |
 * | roles other than the six OpenAI roles   | reject            | accept                 | reject                                                      |
 * | "0.7" / "true" strings for numbers/bools| reject            | coerce (pydantic lax)  | reject                                                      |
 * | `null` on an optional field             | mostly nullable   | = unset                | = unset, everywhere (incl. tools, tool_choice, user)        |
 * | `top_p: 0`                              | accept            | reject                 | accept: keeps only the most likely token (greedy)           |
 * | `n > 1` with `temperature: 0`           | accept            | reject                 | accept (n identical greedy answers)                         |
 * | `n` maximum                             | 128               | 16384                  | 128                                                         |
 * | `top_k`                                 | -                 | -1, 0 or >= 1          | same (-1 and 0 = disabled)                                  |
 * | `logit_bias` value outside [-100, 100]  | reject            | clamp                  | reject                                                      |
 * | `logit_bias` decimal value              | reject (integer)  | accept                 | accept                                                      |
 * | `logit_bias` key                        | any string        | int()-parsable         | canonical non-negative integer string ("42", not "+42")     |
 * | `stop: ""` / `["", ...]`                | schema-valid      | reject                 | reject                                                      |
 * | `stop: []`                              | reject            | accept                 | accept (no stop strings)                                    |
 * | number of stop strings                  | 4                 | env limit              | 16                                                          |
 * | `top_logprobs`                          | 0..20             | -1..max_logprobs (20)  | 0..20; > 0 needs `logprobs: true`; 0 alone is fine          |
 * | `prompt_logprobs`                       | -                 | -1 or >= 0, max 20     | 0..20 (-1 = whole vocab exceeds the 20 cap); not with stream|
 * | `max_tokens` and `max_completion_tokens`| both accepted     | m_c_t wins             | both accepted; max_completion_tokens wins (as vLLM)          |
 * | `seed`, `priority`                      | [-2^63, 2^63]     | int64                  | integers in [-2^63, 2^63] (doubles cannot hold 2^63 - 1)    |
 * | `stream_options` without `stream: true` | reject            | reject only if truthy  | reject any non-null value (also `{}`)                       |
 * | `tools: []` / more than 128 tools       | reject / reject   | reject / accept        | reject / reject; duplicate function names rejected          |
 * | custom tools, `allowed_tools` choice    | accept            | reject                 | reject (unsupported_value): only function tools exist here  |
 * | tool messages not answering the calls   | reject            | accept                 | reject (tool message must follow its assistant tool_calls,  |
 * |   of the preceding assistant message    |                   |                        |   ids must match, every call answered)                      |
 * | non-text parts in system/developer/tool | reject            | warn                   | reject                                                      |
 * | message `name` format                   | no schema pattern | any string             | any string (only chat templates read it)                    |
 * | JSON mode without "json" in the prompt  | reject            | accept                 | accept (nothing breaks without it)                          |
 * | `response_format` + `structured_outputs`| -                 | response_format wins   | reject both together                                        |
 * | `tools` + deprecated `functions`        | -                 | -                      | reject both together                                        |
 * | `cache_salt`                            | -                 | <=128 chars, no @ / \ NUL (one version: <=1024) | <=128 chars, no @ / \ NUL          |
 * | `continue_final_message` + explicit `add_generation_prompt: true` | - | reject | reject                                             |
 * | `reasoning_effort`                      | 7 values          | same 7                 | none, minimal, low, medium, high, xhigh, max                |
 */

import { ApiError, invalidParam } from './errors.ts';
import type { ChatCompletionRequest } from './request-types.ts';
import { OPENAI_FIELDS, VLLM_FIELDS } from './validate-fields.ts';
import { RULES } from './validate-rules.ts';
import { type Check, given, isObject, kindOf, missing } from './validate-values.ts';

/** Compile-time proof that the tables cover every field of the ChatCompletionRequest type. */
const TABLE: Record<keyof ChatCompletionRequest, Check> = { ...OPENAI_FIELDS, ...VLLM_FIELDS };
const FIELDS = new Map<string, Check>(Object.entries(TABLE));
const REQUIRED = ['model', 'messages'];

/** Every accepted top-level field name (OpenAI's and vLLM's). */
export const KNOWN_REQUEST_FIELDS: readonly string[] = [...FIELDS.keys()];

export function validateChatCompletionRequest(body: unknown): ChatCompletionRequest {
  if (!isObject(body)) {
    throw new ApiError(400, `The request body must be a JSON object, but got ${kindOf(body)} instead.`, {
      param: null,
      code: 'invalid_request_body',
    });
  }
  for (const key of Object.keys(body)) {
    if (!FIELDS.has(key)) {
      throw invalidParam(key, `Unrecognized request argument supplied: ${key}`, 'unrecognized_argument');
    }
  }
  for (const key of REQUIRED) {
    if (body[key] === undefined) throw missing(key);
  }
  for (const [key, check] of FIELDS) {
    const value = REQUIRED.includes(key) ? body[key] : given(body, key);
    if (value !== undefined) check(value, key);
  }
  for (const rule of RULES) rule(body);
  return body as unknown as ChatCompletionRequest;
}
