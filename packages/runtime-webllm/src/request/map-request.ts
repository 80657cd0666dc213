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
 *   asked, so usage can be summed over choices), `reasoning_effort` and
 *   `chat_template_kwargs.enable_thinking` on models with a thinking switch (WebLLM's
 *   `extra_body.enable_thinking`; no effect on other models, as on cinder's runtime).
 * - Reasoning of thinking models (reasoning/thinking-models.ts) is split off by the response side,
 *   honouring `include_reasoning`.
 * - Everything else that changes the output and WebLLM lacks: refusals.ts.
 */
import type { ChatCompletionRequest } from '@cinder/protocol';
import { ApiError, invalidParam, newCompletionId } from '@cinder/protocol';
import { vocabSizeOf, type WebLlmChatConfig } from '../chat-config.ts';
import type { ReasoningPlan } from '../reasoning/choice-reasoning.ts';
import {
  EMPTY_THINKING_BLOCK,
  EMPTY_THINKING_BLOCK_TOKENS,
  type WebLlmThinking,
  webLlmThinking,
} from '../reasoning/thinking-models.ts';
import type { WebLlmRequest } from '../webllm-types.ts';
import { mapResponseFormat } from './map-format.ts';
import { mapMessages } from './map-messages.ts';
import { notSupported, refuseUnsupported } from './refusals.ts';

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
  /** How a thinking model's output splits into reasoning and content; null when the model does not think. */
  readonly reasoning: ReasoningPlan | null;
  /** The WebLLM request of choice `index`. */
  choiceRequest(index: number, stream: boolean): WebLlmRequest;
}

export interface MapOptions {
  readonly modelId: string;
  /** The model's vocabulary size, when known: logit_bias ids beyond it are a 400. Default: the chat config's. */
  readonly vocabSize?: number;
  /** The loaded model's mlc-chat-config.json (chat-config.ts): vocab_size, conversation template. */
  readonly chatConfig?: WebLlmChatConfig;
}

export function planRequest(request: ChatCompletionRequest, options: MapOptions): WebLlmPlan {
  if (request.model !== options.modelId) {
    throw new ApiError(404, `The model '${request.model}' does not exist or you do not have access to it.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  refuseUnsupported(request);
  checkLogitBias(request, options.vocabSize ?? vocabSizeOf(options.chatConfig));
  const thinking = webLlmThinking(options.modelId, options.chatConfig);
  const base = baseRequest(request, options.modelId, thinking);
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
    reasoning: thinking && {
      thinking,
      thinkingOff: base.extra_body?.enable_thinking === false,
      includeReasoning: request.include_reasoning !== false,
    },
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
function baseRequest(
  request: ChatCompletionRequest,
  modelId: string,
  thinking: WebLlmThinking | null,
): WebLlmRequest {
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
  const enable = enableThinking(request, thinking);
  if (enable !== undefined) out.extra_body = { enable_thinking: enable };
  if (enable === false) {
    // WebLLM counts the empty block it writes with enable_thinking false against max_tokens.
    if (out.max_tokens != null) out.max_tokens += EMPTY_THINKING_BLOCK_TOKENS;
    // ... and matches stop strings against it: one inside it would end every reply at once.
    const stops = typeof out.stop === 'string' ? [out.stop] : (out.stop ?? []);
    const caught = stops.find((stop) => EMPTY_THINKING_BLOCK.includes(stop));
    if (caught !== undefined) {
      throw notSupported(
        'stop',
        `with thinking off it writes ${JSON.stringify(EMPTY_THINKING_BLOCK)} into the output and matches stop strings there, so ${JSON.stringify(caught)} would end every reply at once`,
      );
    }
  }
  return out;
}

/**
 * WebLLM's `enable_thinking` for a model with the switch (as cinder's runtime fills the template's
 * `enable_thinking`): `reasoning_effort` none / minimal -> false, low … max -> true; an explicit
 * `chat_template_kwargs.enable_thinking` wins. Other models have no switch: nothing is sent (WebLLM
 * would write an empty think block into any model's output).
 */
function enableThinking(
  request: ChatCompletionRequest,
  thinking: WebLlmThinking | null,
): boolean | undefined {
  const kwarg = request.chat_template_kwargs?.enable_thinking;
  if (kwarg !== undefined && kwarg !== null && typeof kwarg !== 'boolean') {
    throw invalidParam('chat_template_kwargs.enable_thinking', 'enable_thinking must be a boolean.');
  }
  if (!thinking?.switchable) return undefined;
  if (typeof kwarg === 'boolean') return kwarg;
  if (request.reasoning_effort == null) return undefined;
  return request.reasoning_effort !== 'none' && request.reasoning_effort !== 'minimal';
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
