/**
 * Builders for response objects: ids, usage, a whole `ChatCompletion`. Stream chunks are in chunks.ts.
 * Output is valid against OpenAI's `CreateChatCompletionResponse` (see builders.test.ts):
 * `system_fingerprint` is omitted rather than null, `logprobs` is always present (null when not asked).
 */
import type { JsonObject } from './request-types.ts';
import type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionMessage,
  ChoiceLogprobs,
  FinishReason,
  PromptLogprob,
  ToolCall,
  Usage,
} from './response-types.ts';

// ----------------------------------------------------------------------------- ids and time

function randomHex(bytes: number): string {
  const random = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(random, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `chatcmpl-` + 32 random hex digits. */
export function newCompletionId(): string {
  return `chatcmpl-${randomHex(16)}`;
}

/** `call_` + 24 random hex digits, for tool calls parsed from model output. */
export function newToolCallId(): string {
  return `call_${randomHex(12)}`;
}

/** Whole seconds since the Unix epoch (the `created` field). */
export function unixSeconds(ms: number = Date.now()): number {
  return Math.floor(ms / 1000);
}

// ----------------------------------------------------------------------------- usage

export interface UsageCounts {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the prefix cache. */
  cachedTokens?: number;
  /** Completion tokens spent inside reasoning (`<think>`). */
  reasoningTokens?: number;
}

export function buildUsage(counts: UsageCounts): Usage {
  return {
    prompt_tokens: counts.promptTokens,
    completion_tokens: counts.completionTokens,
    total_tokens: counts.promptTokens + counts.completionTokens,
    prompt_tokens_details: { cached_tokens: counts.cachedTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: counts.reasoningTokens ?? 0 },
  };
}

// ----------------------------------------------------------------------------- whole completion

export interface MessageFields {
  content?: string | null;
  refusal?: string | null;
  tool_calls?: ToolCall[];
  reasoning_content?: string | null;
  reasoning?: string | null;
}

/** The assistant message of a choice. `tool_calls` appears only when non-empty; reasoning only when set. */
export function buildMessage(fields: MessageFields): ChatCompletionMessage {
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content: fields.content ?? null,
    refusal: fields.refusal ?? null,
  };
  if (fields.tool_calls && fields.tool_calls.length > 0) message.tool_calls = fields.tool_calls;
  if (fields.reasoning_content != null) message.reasoning_content = fields.reasoning_content;
  if (fields.reasoning != null) message.reasoning = fields.reasoning;
  return message;
}

export interface ChoiceExtras {
  logprobs?: ChoiceLogprobs | null;
  /** vLLM: the stop string / token id that ended the choice (null for EOS or length). Omitted when undefined. */
  stop_reason?: string | number | null;
  /** vLLM `return_token_ids`. */
  token_ids?: number[] | null;
}

export function buildChoice(
  index: number,
  message: ChatCompletionMessage,
  finishReason: FinishReason,
  extras: ChoiceExtras = {},
): ChatCompletionChoice {
  const choice: ChatCompletionChoice = {
    index,
    message,
    logprobs: extras.logprobs ?? null,
    finish_reason: finishReason,
  };
  if (extras.stop_reason !== undefined) choice.stop_reason = extras.stop_reason;
  if (extras.token_ids != null) choice.token_ids = extras.token_ids;
  return choice;
}

/** What every completion and every chunk of one request share. */
export interface CompletionHead {
  id: string;
  created: number;
  model: string;
  /** Omitted from the output when undefined (OpenAI's schema does not allow null). */
  system_fingerprint?: string;
}

export interface CompletionExtras {
  prompt_token_ids?: number[] | null;
  prompt_logprobs?: (Record<string, PromptLogprob> | null)[] | null;
  prompt_text?: string | null;
  kv_transfer_params?: JsonObject | null;
}

export function buildChatCompletion(
  head: CompletionHead,
  choices: ChatCompletionChoice[],
  usage: Usage,
  extras: CompletionExtras = {},
): ChatCompletion {
  const completion: ChatCompletion = {
    id: head.id,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices,
    usage,
  };
  if (head.system_fingerprint !== undefined) completion.system_fingerprint = head.system_fingerprint;
  for (const key of ['prompt_token_ids', 'prompt_logprobs', 'prompt_text', 'kv_transfer_params'] as const) {
    if (extras[key] != null) Object.assign(completion, { [key]: extras[key] });
  }
  return completion;
}
