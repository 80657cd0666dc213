/**
 * Responses of `/v1/chat/completions` (whole completion and stream chunks) and `/v1/models`:
 * OpenAI's `CreateChatCompletionResponse` / `CreateChatCompletionStreamResponse` / `Model`
 * plus the vLLM extras (`stop_reason`, `token_ids`, `prompt_token_ids`, `prompt_logprobs`,
 * `reasoning_content` / `reasoning`). Type-only file.
 */
import type { JsonObject, ServiceTier } from './request-types.ts';

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

// ----------------------------------------------------------------------------- usage

export interface PromptTokensDetails {
  cached_tokens?: number;
  audio_tokens?: number;
  text_tokens?: number;
  image_tokens?: number;
  cache_write_tokens?: number;
}

export interface CompletionTokensDetails {
  reasoning_tokens?: number;
  audio_tokens?: number;
  text_tokens?: number;
  accepted_prediction_tokens?: number;
  rejected_prediction_tokens?: number;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  /** Always prompt_tokens + completion_tokens. */
  total_tokens: number;
  prompt_tokens_details?: PromptTokensDetails;
  completion_tokens_details?: CompletionTokensDetails;
}

// ----------------------------------------------------------------------------- logprobs

export interface TopLogprob {
  token: string;
  logprob: number;
  /** UTF-8 bytes of the token, or null when it has no byte form. */
  bytes: number[] | null;
}

export interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}

export interface ChoiceLogprobs {
  content: TokenLogprob[] | null;
  refusal: TokenLogprob[] | null;
}

/** vLLM `prompt_logprobs` entry: one per prompt token (null for the first), keyed by token id. */
export interface PromptLogprob {
  logprob: number;
  rank: number | null;
  decoded_token: string | null;
}

// ----------------------------------------------------------------------------- whole completion

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface UrlCitation {
  type: 'url_citation';
  url_citation: { start_index: number; end_index: number; url: string; title: string };
}

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal: string | null;
  tool_calls?: ToolCall[];
  /** Reasoning text split from the answer (`<think>...</think>`); llama.cpp / older vLLM name. */
  reasoning_content?: string | null;
  /** Same, newer vLLM / Ollama name. */
  reasoning?: string | null;
  annotations?: UrlCitation[];
  audio?: { id: string; expires_at: number; data: string; transcript: string } | null;
  /** Deprecated. */
  function_call?: { name: string; arguments: string };
}

export interface ChatCompletionChoice {
  index: number;
  message: ChatCompletionMessage;
  logprobs: ChoiceLogprobs | null;
  finish_reason: FinishReason;
  /** vLLM: the stop string or stop token id that ended this choice; null for EOS / length. */
  stop_reason?: string | number | null;
  /** vLLM: generated token ids (with `return_token_ids`). */
  token_ids?: number[] | null;
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  /** Unix seconds. */
  created: number;
  model: string;
  choices: ChatCompletionChoice[];
  usage?: Usage;
  /** Omitted rather than null (OpenAI's schema does not allow null). */
  system_fingerprint?: string;
  service_tier?: ServiceTier | null;
  /** vLLM: prompt token ids (with `return_token_ids`). */
  prompt_token_ids?: number[] | null;
  /** vLLM: per prompt token, token id -> logprob (with `prompt_logprobs`). */
  prompt_logprobs?: (Record<string, PromptLogprob> | null)[] | null;
  /** vLLM: rendered prompt (with `return_prompt_text`). */
  prompt_text?: string | null;
  kv_transfer_params?: JsonObject | null;
}

// ----------------------------------------------------------------------------- stream chunks

export interface ToolCallDelta {
  /** Merge key for the fragments of one call: 0, 1, 2, ... */
  index: number;
  /** Sent in the first fragment only. */
  id?: string;
  type?: 'function';
  /** Always present (AI SDK requires it), even if it only holds `arguments`. */
  function?: { name?: string; arguments?: string };
}

export interface ChunkDelta {
  role?: 'assistant' | 'developer' | 'system' | 'user' | 'tool';
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCallDelta[];
  reasoning_content?: string | null;
  reasoning?: string | null;
  /** Deprecated. */
  function_call?: { name?: string; arguments?: string };
}

export interface ChunkChoice {
  index: number;
  delta: ChunkDelta;
  logprobs?: ChoiceLogprobs | null;
  finish_reason: FinishReason | null;
  /** vLLM extras, as on ChatCompletionChoice. */
  stop_reason?: string | number | null;
  token_ids?: number[] | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  /** Empty on the final usage chunk. */
  choices: ChunkChoice[];
  /** With `include_usage`: null on every chunk except the last (`choices: []`). Absent otherwise. */
  usage?: Usage | null;
  system_fingerprint?: string;
  service_tier?: ServiceTier | null;
  obfuscation?: string;
  /** vLLM: on the first chunk only (with `return_token_ids`). */
  prompt_token_ids?: number[] | null;
  prompt_text?: string | null;
}

// ----------------------------------------------------------------------------- models

export interface ModelObject {
  id: string;
  object: 'model';
  /** Unix seconds. */
  created: number;
  owned_by: string;
  /** vLLM extras. */
  root?: string | null;
  parent?: string | null;
  max_model_len?: number | null;
}

export interface ModelList {
  object: 'list';
  data: ModelObject[];
}
