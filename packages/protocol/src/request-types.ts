/**
 * The `/v1/chat/completions` request as it arrives on the wire: every field of OpenAI's
 * `CreateChatCompletionRequest` (openai-openapi f85dbe22) plus vLLM's extensions
 * (`vllm/entrypoints/openai/chat_completion/protocol.py`). Optional fields may be `null`,
 * which always means "not given" (see the decision table in validate.ts).
 * Type-only file.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

// ----------------------------------------------------------------------------- content parts

export interface PromptCacheBreakpoint {
  mode: 'explicit';
}

export interface TextContentPart {
  type: 'text';
  text: string;
  prompt_cache_breakpoint?: PromptCacheBreakpoint;
}

export interface ImageContentPart {
  type: 'image_url';
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
  prompt_cache_breakpoint?: PromptCacheBreakpoint;
}

export interface AudioContentPart {
  type: 'input_audio';
  input_audio: { data: string; format: 'wav' | 'mp3' };
  prompt_cache_breakpoint?: PromptCacheBreakpoint;
}

export interface FileContentPart {
  type: 'file';
  file: { filename?: string; file_data?: string; file_id?: string };
  prompt_cache_breakpoint?: PromptCacheBreakpoint;
}

export interface RefusalContentPart {
  type: 'refusal';
  refusal: string;
}

export type ContentPart =
  | TextContentPart
  | ImageContentPart
  | AudioContentPart
  | FileContentPart
  | RefusalContentPart;
export type UserContentPart = TextContentPart | ImageContentPart | AudioContentPart | FileContentPart;
export type AssistantContentPart = TextContentPart | RefusalContentPart;

// ----------------------------------------------------------------------------- messages

export interface DeveloperMessage {
  role: 'developer';
  content: string | TextContentPart[];
  name?: string;
}

export interface SystemMessage {
  role: 'system';
  content: string | TextContentPart[];
  name?: string;
}

export interface UserMessage {
  role: 'user';
  content: string | UserContentPart[];
  name?: string;
}

/** A tool call the assistant made earlier in the conversation (request side). */
export interface RequestToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface AssistantMessage {
  role: 'assistant';
  /** Required unless `tool_calls`, `function_call` or `refusal` is given. */
  content?: string | AssistantContentPart[] | null;
  refusal?: string | null;
  name?: string;
  tool_calls?: RequestToolCall[] | null;
  /** Deprecated OpenAI field. */
  function_call?: { name: string; arguments: string } | null;
  audio?: { id: string } | null;
  /** Reasoning text from an earlier turn (vLLM reads both names). */
  reasoning?: string | null;
  reasoning_content?: string | null;
  /** Echoed back from a response message; ignored. */
  annotations?: unknown[] | null;
}

export interface ToolMessage {
  role: 'tool';
  content: string | TextContentPart[];
  tool_call_id: string;
}

/** Deprecated OpenAI `function` role. */
export interface FunctionMessage {
  role: 'function';
  content: string | null;
  name: string;
}

export type ChatMessage =
  | DeveloperMessage
  | SystemMessage
  | UserMessage
  | AssistantMessage
  | ToolMessage
  | FunctionMessage;

export type ChatRole = ChatMessage['role'];

// ----------------------------------------------------------------------------- tools

export interface FunctionDefinition {
  /** `^[a-zA-Z0-9_-]{1,64}$` */
  name: string;
  description?: string;
  /** A JSON Schema object. */
  parameters?: JsonObject;
  strict?: boolean | null;
  /** vLLM extension. */
  defer_loading?: boolean | null;
}

export interface ToolDefinition {
  type: 'function';
  function: FunctionDefinition;
  /** vLLM extension. */
  defer_loading?: boolean | null;
}

export interface NamedToolChoice {
  type: 'function';
  function: { name: string };
}

export type ToolChoice = 'none' | 'auto' | 'required' | NamedToolChoice;

/** Deprecated OpenAI `functions` entry. */
export interface LegacyFunctionDefinition {
  name: string;
  description?: string;
  parameters?: JsonObject;
}

export type LegacyFunctionCall = 'none' | 'auto' | { name: string };

// ----------------------------------------------------------------------------- output formats

export interface JsonSchemaFormat {
  /** `^[a-zA-Z0-9_-]{1,64}$` */
  name: string;
  description?: string;
  schema?: JsonObject;
  strict?: boolean | null;
}

export interface StructuralTagStructure {
  begin: string;
  schema?: JsonObject | null;
  end: string;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: JsonSchemaFormat }
  /** vLLM: xgrammar structural tag (`format` is the xgrammar tag object). */
  | { type: 'structural_tag'; format: JsonObject }
  /** vLLM: legacy structural tag. */
  | { type: 'structural_tag'; structures: StructuralTagStructure[]; triggers: string[] };

/** vLLM `structured_outputs`: exactly one constraint kind (json, regex, choice, grammar, json_object, structural_tag). */
export interface StructuredOutputs {
  json?: string | JsonObject | null;
  regex?: string | null;
  choice?: string[] | null;
  grammar?: string | null;
  json_object?: boolean | null;
  structural_tag?: string | null;
  disable_fallback?: boolean | null;
  disable_any_whitespace?: boolean | null;
  disable_additional_properties?: boolean | null;
  whitespace_pattern?: string | null;
  _backend?: string | null;
  _backend_was_auto?: boolean | null;
}

export interface StreamOptions {
  include_usage?: boolean | null;
  /** OpenAI: add random padding to chunks. */
  include_obfuscation?: boolean | null;
  /** vLLM: put usage on every chunk. */
  continuous_usage_stats?: boolean | null;
}

// ----------------------------------------------------------------------------- other OpenAI objects

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh' | 'max';
export type Verbosity = 'low' | 'medium' | 'high';
export type ServiceTier = 'auto' | 'default' | 'flex' | 'scale' | 'priority' | 'fast';

export interface AudioOutputOptions {
  voice: string | { id: string };
  format: 'wav' | 'aac' | 'mp3' | 'flac' | 'opus' | 'pcm16';
}

export interface PredictionContent {
  type: 'content';
  content: string | TextContentPart[];
}

export interface WebSearchOptions {
  user_location?: {
    type: 'approximate';
    approximate: { country?: string; region?: string; city?: string; timezone?: string };
  } | null;
  search_context_size?: 'low' | 'medium' | 'high';
}

export interface ModerationConfig {
  mode: 'score' | 'block';
}

export interface ModerationOptions {
  model: string;
  policy?: { input?: ModerationConfig | null; output?: ModerationConfig | null } | null;
}

export interface PromptCacheOptions {
  ttl?: '30m';
  mode?: 'implicit' | 'explicit';
}

// ----------------------------------------------------------------------------- vLLM objects

export interface RepetitionDetection {
  max_pattern_size?: number;
  min_pattern_size?: number;
  min_count?: number;
}

export type LogitsProcessorSpec =
  | string
  | { qualname: string; args?: JsonValue[] | null; kwargs?: JsonObject | null };

export type XargValue = string | number | (string | number)[];

// ----------------------------------------------------------------------------- the request

export interface ChatCompletionRequest {
  // --- OpenAI: required
  model: string;
  messages: ChatMessage[];

  // --- OpenAI: sampling and output length
  temperature?: number | null;
  top_p?: number | null;
  n?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  /** Token id (as a decimal string) -> bias in [-100, 100]. */
  logit_bias?: Record<string, number> | null;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  /** Deprecated in favour of `max_completion_tokens`. */
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;

  // --- OpenAI: streaming
  stream?: boolean | null;
  stream_options?: StreamOptions | null;

  // --- OpenAI: tools and formats
  tools?: ToolDefinition[] | null;
  tool_choice?: ToolChoice | null;
  parallel_tool_calls?: boolean | null;
  response_format?: ResponseFormat | null;
  /** Deprecated. */
  functions?: LegacyFunctionDefinition[] | null;
  /** Deprecated. */
  function_call?: LegacyFunctionCall | null;

  // --- OpenAI: everything else
  reasoning_effort?: ReasoningEffort | null;
  verbosity?: Verbosity | null;
  service_tier?: ServiceTier | null;
  modalities?: ('text' | 'audio')[] | null;
  audio?: AudioOutputOptions | null;
  prediction?: PredictionContent | null;
  web_search_options?: WebSearchOptions | null;
  moderation?: ModerationOptions | null;
  metadata?: Record<string, string> | null;
  store?: boolean | null;
  user?: string | null;
  safety_identifier?: string | null;
  prompt_cache_key?: string | null;
  prompt_cache_retention?: 'in_memory' | '24h' | null;
  prompt_cache_options?: PromptCacheOptions | null;

  // --- vLLM: sampling
  use_beam_search?: boolean | null;
  top_k?: number | null;
  min_p?: number | null;
  repetition_penalty?: number | null;
  length_penalty?: number | null;
  watermarking?: boolean | null;
  stop_token_ids?: number[] | null;
  include_stop_str_in_output?: boolean | null;
  ignore_eos?: boolean | null;
  min_tokens?: number | null;
  skip_special_tokens?: boolean | null;
  spaces_between_special_tokens?: boolean | null;
  truncate_prompt_tokens?: number | null;
  truncation_side?: 'left' | 'right' | null;
  prompt_logprobs?: number | null;
  logprob_token_ids?: number[] | null;
  allowed_token_ids?: number[] | null;
  bad_words?: string[] | null;
  thinking_token_budget?: number | null;
  repetition_detection?: RepetitionDetection | null;
  logits_processors?: LogitsProcessorSpec[] | null;

  // --- vLLM: prompt rendering
  echo?: boolean | null;
  add_generation_prompt?: boolean | null;
  continue_final_message?: boolean | null;
  add_special_tokens?: boolean | null;
  documents?: Record<string, string>[] | null;
  chat_template?: string | null;
  chat_template_kwargs?: JsonObject | null;
  media_io_kwargs?: Record<string, JsonObject> | null;
  mm_processor_kwargs?: JsonObject | null;
  include_reasoning?: boolean | null;

  // --- vLLM: structured outputs
  structured_outputs?: StructuredOutputs | null;

  // --- vLLM: scheduling, identity, response extras
  priority?: number | null;
  request_id?: string | null;
  session_id?: string | null;
  cache_salt?: string | null;
  stream_interval?: number | null;
  return_tokens_as_token_ids?: boolean | null;
  return_token_ids?: boolean | null;
  return_token_offsets?: boolean | null;
  return_prompt_text?: boolean | null;
  return_mm_kwargs?: boolean | null;
  routed_experts_prompt_start?: number | null;
  kv_transfer_params?: JsonObject | null;
  ec_transfer_params?: JsonObject | null;
  vllm_xargs?: Record<string, XargValue> | null;
}
