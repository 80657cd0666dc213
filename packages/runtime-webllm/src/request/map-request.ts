/**
 * A validated request -> what WebLLM receives, one call per choice. The table of every field is in
 * docs/runtimes.md; in short:
 *
 * - Passed through: temperature, presence/frequency_penalty, max_tokens (max_completion_tokens wins),
 *   stop, logit_bias, logprobs, seed, ignore_eos, the mapped messages and output constraint.
 * - Emulated: `n` (n calls of one choice, choice i seeded with seed + i, as cinder's runtime),
 *   `top_p: 0` (WebLLM refuses 0; 1e-5 keeps only the most likely token, the same thing),
 *   `logprobs` without `top_logprobs` (WebLLM records nothing unless top_logprobs >= 1, so it is
 *   asked for 1 and the alternatives are dropped again), `stream_options.include_usage` (always
 *   asked, so usage can be summed over choices), `reasoning_effort` none/minimal and
 *   `chat_template_kwargs.enable_thinking` (WebLLM's `extra_body.enable_thinking`).
 * - Everything else that changes the output and WebLLM lacks: refusals.ts.
 */
import type { ChatCompletionRequest } from '@cinder/protocol';
import { ApiError, invalidParam, newCompletionId } from '@cinder/protocol';
import type { WebLlmRequest } from '../webllm-types.ts';
import { mapResponseFormat } from './map-format.ts';
import { mapMessages } from './map-messages.ts';
import { refuseUnsupported } from './refusals.ts';

/** WebLLM's RNG is a Lehmer generator modulo 2^31 - 1; its seed must be a non-negative integer there. */
const SEED_MODULUS = 2147483647;

export interface WebLlmPlan {
  readonly request: ChatCompletionRequest;
  /** Response id: `request_id` when given, else `chatcmpl-…`. */
  readonly id: string;
  readonly n: number;
  readonly stream: boolean;
  readonly includeUsage: boolean;
  /** Logprobs asked for, and how many alternatives the client wants (0 with `logprobs: true` alone). */
  readonly logprobs: boolean;
  readonly topLogprobs: number;
  /** The request's stop strings (held back while streaming). */
  readonly stop: readonly string[];
  readonly priority: number;
  /** The WebLLM request of choice `index`. */
  choiceRequest(index: number, stream: boolean): WebLlmRequest;
}

export interface MapOptions {
  readonly modelId: string;
  /** The model's vocabulary size, when known: logit_bias ids beyond it are a 400. */
  readonly vocabSize?: number;
}

export function planRequest(request: ChatCompletionRequest, options: MapOptions): WebLlmPlan {
  if (request.model !== options.modelId) {
    throw new ApiError(404, `The model '${request.model}' does not exist or you do not have access to it.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  refuseUnsupported(request);
  checkLogitBias(request, options.vocabSize);
  const base = baseRequest(request, options.modelId);
  const logprobs = request.logprobs === true;
  const stop = request.stop == null ? [] : typeof request.stop === 'string' ? [request.stop] : request.stop;
  return {
    request,
    id: request.request_id ?? newCompletionId(),
    n: request.n ?? 1,
    stream: request.stream === true,
    includeUsage: request.stream_options?.include_usage === true,
    logprobs,
    topLogprobs: request.top_logprobs ?? 0,
    stop,
    priority: request.priority ?? 0,
    choiceRequest(index, stream) {
      const choice: WebLlmRequest = { ...base, messages: structuredClone(base.messages) };
      if (request.seed != null) choice.seed = webLlmSeed(request.seed + index);
      if (stream) {
        choice.stream = true;
        choice.stream_options = { include_usage: true };
      }
      return choice;
    },
  };
}

/** Everything but seed and stream. WebLLM mutates requests (Hermes tools), so each call gets a copy. */
function baseRequest(request: ChatCompletionRequest, modelId: string): WebLlmRequest {
  const out: WebLlmRequest = { model: modelId, messages: mapMessages(request) };
  if (request.temperature != null) out.temperature = request.temperature;
  if (request.top_p != null) out.top_p = request.top_p === 0 ? 1e-5 : request.top_p;
  if (request.presence_penalty != null) out.presence_penalty = request.presence_penalty;
  if (request.frequency_penalty != null) out.frequency_penalty = request.frequency_penalty;
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (maxTokens != null) out.max_tokens = maxTokens;
  if (request.stop != null && request.stop.length > 0) {
    out.stop = typeof request.stop === 'string' ? [request.stop] : [...request.stop];
  }
  if (request.logit_bias != null && Object.keys(request.logit_bias).length > 0) {
    out.logit_bias = { ...request.logit_bias };
  }
  if (request.logprobs === true) {
    out.logprobs = true;
    out.top_logprobs = Math.max(1, request.top_logprobs ?? 0);
  }
  if (request.ignore_eos === true) out.ignore_eos = true;
  const format = mapResponseFormat(request);
  if (format) out.response_format = format;
  const thinking = enableThinking(request);
  if (thinking !== undefined) out.extra_body = { enable_thinking: thinking };
  return out;
}

/** An explicit `chat_template_kwargs.enable_thinking` wins over `reasoning_effort` (as in cinder's runtime). */
function enableThinking(request: ChatCompletionRequest): boolean | undefined {
  const kwarg = request.chat_template_kwargs?.enable_thinking;
  if (kwarg !== undefined && kwarg !== null) {
    if (typeof kwarg !== 'boolean') {
      throw invalidParam('chat_template_kwargs.enable_thinking', 'enable_thinking must be a boolean.');
    }
    return kwarg;
  }
  if (request.reasoning_effort === 'none' || request.reasoning_effort === 'minimal') return false;
  return undefined;
}

function checkLogitBias(request: ChatCompletionRequest, vocabSize: number | undefined): void {
  if (vocabSize === undefined || !request.logit_bias) return;
  for (const key of Object.keys(request.logit_bias)) {
    if (Number(key) >= vocabSize) {
      throw invalidParam(
        'logit_bias',
        `Invalid 'logit_bias': token id ${key} is outside the vocabulary (size ${vocabSize}).`,
      );
    }
  }
}

export function webLlmSeed(seed: number): number {
  return ((seed % SEED_MODULUS) + SEED_MODULUS) % SEED_MODULUS;
}
