/**
 * Request fields the WebLLM runtime cannot honour and cannot emulate exactly. Each is refused with a
 * 400 naming the field and saying that cinder's own runtime honours it, never silently ignored.
 * (Fields emulated or mapped are in map-request.ts; message and format fields in map-messages.ts and
 * map-format.ts.) The reason strings say what WebLLM 0.2.86 lacks, from its source (lib/index.js).
 */
import type { ChatCompletionRequest } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';

interface Refusal {
  readonly param: string;
  readonly applies: (request: ChatCompletionRequest) => boolean;
  readonly why: string;
}

/**
 * WebLLM 0.2.86 takes `tools` only on the models of its `functionCallingModelIds` (checked in
 * refusals.test.ts) and there not as OpenAI defines them: every reply is forced into a JSON array
 * of calls whose names and arguments are not held to the given tools, `tool_choice` is ignored
 * (no `auto`, `none` or named choice) and a system message is refused.
 */
export const WEBLLM_TOOL_MODELS: readonly string[] = [
  'Hermes-2-Pro-Llama-3-8B-q4f16_1-MLC',
  'Hermes-2-Pro-Llama-3-8B-q4f32_1-MLC',
  'Hermes-2-Pro-Mistral-7B-q4f16_1-MLC',
  'Hermes-3-Llama-3.1-8B-q4f32_1-MLC',
  'Hermes-3-Llama-3.1-8B-q4f16_1-MLC',
];

const TOOLS_WHY =
  'WebLLM 0.2.86 takes tools only on Hermes-2-Pro-Llama-3-8B, Hermes-2-Pro-Mistral-7B and Hermes-3-Llama-3.1-8B, ' +
  'and there forces every reply into calls not held to the given tools, ignoring tool_choice';

const present = (value: unknown) => value !== undefined && value !== null;
const nonEmpty = (value: readonly unknown[] | null | undefined) => (value ?? []).length > 0;

/** 400 for a field WebLLM cannot honour. */
export function notSupported(param: string, why: string): ApiError {
  return new ApiError(
    400,
    `'${param}' is not supported by the WebLLM runtime (${why}); models served by cinder's own runtime support it.`,
    { param, code: 'unsupported_parameter' },
  );
}

const REFUSALS: readonly Refusal[] = [
  // Same refusals as cinder's own runtime (nothing on a device can do these).
  {
    param: 'modalities',
    applies: (r) => (r.modalities ?? []).some((m) => m !== 'text'),
    why: 'it produces text only',
  },
  { param: 'audio', applies: (r) => present(r.audio), why: 'it produces text only' },
  {
    param: 'web_search_options',
    applies: (r) => present(r.web_search_options),
    why: 'there is no web search on the device',
  },
  { param: 'watermarking', applies: (r) => r.watermarking === true, why: 'no watermarking scheme exists' },
  {
    param: 'logits_processors',
    applies: (r) => nonEmpty(r.logits_processors),
    why: 'processors cannot be loaded from a request',
  },
  { param: 'logprob_token_ids', applies: (r) => present(r.logprob_token_ids), why: 'it has no such output' },
  // Sampling controls WebLLM's sampler lacks (softmax with temperature, penalties, logit_bias, top-p only).
  { param: 'top_k', applies: (r) => (r.top_k ?? 0) > 0, why: 'its sampler has no top-k' },
  { param: 'min_p', applies: (r) => (r.min_p ?? 0) > 0, why: 'its sampler has no min-p' },
  {
    param: 'repetition_penalty',
    applies: (r) => present(r.repetition_penalty) && r.repetition_penalty !== 1,
    why: 'it penalises generated tokens only, not the prompt as vLLM does',
  },
  { param: 'use_beam_search', applies: (r) => r.use_beam_search === true, why: 'it has no beam search' },
  { param: 'min_tokens', applies: (r) => (r.min_tokens ?? 0) > 0, why: 'it cannot hold back EOS' },
  { param: 'stop_token_ids', applies: (r) => nonEmpty(r.stop_token_ids), why: 'it takes stop strings only' },
  {
    param: 'include_stop_str_in_output',
    applies: (r) => r.include_stop_str_in_output === true && hasStop(r),
    why: 'it cuts the stop string and does not say which one matched',
  },
  {
    param: 'ignore_eos',
    applies: (r) => r.ignore_eos === true && hasStop(r),
    why: 'with ignore_eos it also ignores every stop string',
  },
  { param: 'bad_words', applies: (r) => nonEmpty(r.bad_words), why: 'it has no banned-word filter' },
  {
    param: 'allowed_token_ids',
    applies: (r) => present(r.allowed_token_ids),
    why: 'it cannot restrict sampling to a token list',
  },
  {
    param: 'repetition_detection',
    applies: (r) => present(r.repetition_detection),
    why: 'it has no repetition detector',
  },
  {
    param: 'thinking_token_budget',
    applies: (r) => present(r.thinking_token_budget) && r.thinking_token_budget !== -1,
    why: 'it cannot cap a thinking block',
  },
  // Outputs WebLLM does not expose.
  {
    param: 'top_logprobs',
    applies: (r) => (r.top_logprobs ?? 0) > 5,
    why: 'it returns at most 5 alternatives per token',
  },
  { param: 'prompt_logprobs', applies: (r) => present(r.prompt_logprobs), why: 'it has no prompt logprobs' },
  {
    param: 'return_token_ids',
    applies: (r) => r.return_token_ids === true,
    why: 'it does not expose token ids',
  },
  {
    param: 'return_tokens_as_token_ids',
    applies: (r) => r.return_tokens_as_token_ids === true,
    why: 'it does not expose token ids',
  },
  {
    param: 'skip_special_tokens',
    applies: (r) => r.skip_special_tokens === false,
    why: 'it always decodes without special tokens',
  },
  {
    param: 'stream_options.continuous_usage_stats',
    applies: (r) => r.stream_options?.continuous_usage_stats === true,
    why: 'it reports usage only at the end of a stream',
  },
  // Prompt rendering: WebLLM renders with the conversation template of mlc-chat-config.json.
  {
    param: 'truncate_prompt_tokens',
    applies: (r) => present(r.truncate_prompt_tokens),
    why: 'it does not expose the prompt tokens',
  },
  {
    param: 'add_generation_prompt',
    applies: (r) => r.add_generation_prompt === false,
    why: 'its templates always add the generation prompt',
  },
  {
    param: 'continue_final_message',
    applies: (r) => r.continue_final_message === true,
    why: 'the last message must be from the user or a tool',
  },
  {
    param: 'add_special_tokens',
    applies: (r) => r.add_special_tokens === true,
    why: 'its templates add their own special tokens only',
  },
  {
    param: 'chat_template',
    applies: (r) => present(r.chat_template),
    why: 'it renders with the template of mlc-chat-config.json',
  },
  {
    param: 'chat_template_kwargs',
    applies: (r) => Object.keys(r.chat_template_kwargs ?? {}).some((key) => key !== 'enable_thinking'),
    why: 'its templates take no variables except enable_thinking',
  },
  { param: 'documents', applies: (r) => nonEmpty(r.documents), why: 'its templates take no documents' },
  {
    param: 'tools',
    applies: (r) => nonEmpty(r.tools),
    why: TOOLS_WHY,
  },
  {
    param: 'functions',
    applies: (r) => nonEmpty(r.functions),
    why: 'it has no function calling outside its Hermes tool mode',
  },
];

function hasStop(request: ChatCompletionRequest): boolean {
  const stop = request.stop;
  return typeof stop === 'string' || (Array.isArray(stop) && stop.length > 0);
}

/** Throws the 400 of the first field the WebLLM runtime cannot honour. */
export function refuseUnsupported(request: ChatCompletionRequest): void {
  for (const refusal of REFUSALS) {
    if (refusal.applies(request)) throw notSupported(refusal.param, refusal.why);
  }
}

/** The params of every refusal rule, for the docs table test. */
export const REFUSED_PARAMS: readonly string[] = REFUSALS.map((r) => r.param);
