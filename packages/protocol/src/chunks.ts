/**
 * Builders for stream chunks, in the order a stream sends them (sse-notes.md §1, §3):
 *
 *   buildRoleChunk     delta {role:'assistant', content:''}   once per choice index, first
 *   buildDeltaChunk    delta {content} / {reasoning_content} / {tool_calls: [...]}
 *   buildFinishChunk   delta {} with the finish_reason         exactly once per choice index, last
 *   buildUsageChunk    choices: [] with usage                  once, after all finish chunks (include_usage)
 *
 * With `includeUsage`, every chunk but the usage chunk carries `usage: null`; without it there is
 * no `usage` key at all. Every choice carries `logprobs` (null unless given) and `finish_reason`.
 */
import type { CompletionHead } from './builders.ts';
import type {
  ChatCompletionChunk,
  ChoiceLogprobs,
  ChunkChoice,
  ChunkDelta,
  FinishReason,
  ToolCallDelta,
  Usage,
} from './response-types.ts';

export interface StreamHead extends CompletionHead {
  /** `stream_options.include_usage`: send `usage: null` on every chunk, then the usage chunk. */
  includeUsage?: boolean;
}

export interface ChunkExtras {
  logprobs?: ChoiceLogprobs | null;
  /** vLLM `return_token_ids`: the token ids of this delta. */
  token_ids?: number[] | null;
  /** vLLM `continuous_usage_stats`: usage so far, in place of `usage: null`. */
  usage?: Usage;
}

function buildChunk(head: StreamHead, choices: ChunkChoice[], usage?: Usage): ChatCompletionChunk {
  const chunk: ChatCompletionChunk = {
    id: head.id,
    object: 'chat.completion.chunk',
    created: head.created,
    model: head.model,
    ...(head.system_fingerprint !== undefined ? { system_fingerprint: head.system_fingerprint } : {}),
    choices,
  };
  if (usage !== undefined) chunk.usage = usage;
  else if (head.includeUsage) chunk.usage = null;
  return chunk;
}

function buildChunkChoice(
  index: number,
  delta: ChunkDelta,
  finishReason: FinishReason | null,
  extras: ChunkExtras & { stop_reason?: string | number | null },
): ChunkChoice {
  const choice: ChunkChoice = {
    index,
    delta,
    logprobs: extras.logprobs ?? null,
    finish_reason: finishReason,
  };
  if (extras.stop_reason !== undefined) choice.stop_reason = extras.stop_reason;
  if (extras.token_ids != null) choice.token_ids = extras.token_ids;
  return choice;
}

/** First chunk of a choice: `{role: 'assistant', content: ''}`. vLLM sends `prompt_token_ids` here. */
export function buildRoleChunk(
  head: StreamHead,
  index = 0,
  extras: ChunkExtras & { prompt_token_ids?: number[] | null } = {},
): ChatCompletionChunk {
  const chunk = buildChunk(
    head,
    [buildChunkChoice(index, { role: 'assistant', content: '' }, null, extras)],
    extras.usage,
  );
  if (extras.prompt_token_ids != null) chunk.prompt_token_ids = extras.prompt_token_ids;
  return chunk;
}

/** A content / reasoning / tool-call fragment of one choice. */
export function buildDeltaChunk(
  head: StreamHead,
  index: number,
  delta: ChunkDelta,
  extras: ChunkExtras = {},
): ChatCompletionChunk {
  return buildChunk(head, [buildChunkChoice(index, delta, null, extras)], extras.usage);
}

/** Last chunk of a choice: empty delta and its finish_reason (vLLM `stop_reason` when given). */
export function buildFinishChunk(
  head: StreamHead,
  index: number,
  finishReason: FinishReason,
  extras: ChunkExtras & { stop_reason?: string | number | null } = {},
): ChatCompletionChunk {
  return buildChunk(head, [buildChunkChoice(index, {}, finishReason, extras)], extras.usage);
}

/** The final usage chunk (`include_usage`): `choices: []` and the totals, sent just before `[DONE]`. */
export function buildUsageChunk(head: StreamHead, usage: Usage): ChatCompletionChunk {
  return buildChunk(head, [], usage);
}

/** First fragment of a tool call: index, id, type, name and empty arguments (sse-notes.md §3.3). */
export function toolCallStart(index: number, id: string, name: string): ToolCallDelta {
  return { index, id, type: 'function', function: { name, arguments: '' } };
}

/** A later fragment of a tool call's arguments; the `function` object is always present. */
export function toolCallArguments(index: number, fragment: string): ToolCallDelta {
  return { index, function: { arguments: fragment } };
}
