/**
 * @cinder/protocol: the OpenAI-shaped wire format of cinder. Types for requests, responses and
 * stream chunks; request validation; response and chunk builders; SSE encoding; errors.
 * No runtime dependencies. (Test support that needs ajv lives in ./testing/schema.ts.)
 */

export {
  buildChatCompletion,
  buildChoice,
  buildMessage,
  buildUsage,
  type ChoiceExtras,
  type CompletionExtras,
  type CompletionHead,
  type MessageFields,
  newCompletionId,
  newToolCallId,
  type UsageCounts,
  unixSeconds,
} from './builders.ts';
export {
  buildDeltaChunk,
  buildFinishChunk,
  buildRoleChunk,
  buildUsageChunk,
  type ChunkExtras,
  type StreamHead,
  toolCallArguments,
  toolCallStart,
} from './chunks.ts';
export { ApiError, type ErrorBody, type ErrorObject, invalidParam, isAbortError } from './errors.ts';
export { buildModelList, buildModelObject, type ModelObjectInit } from './models.ts';
export { encodeSseError, encodeSseEvent, SSE_DONE, SSE_HEADERS, sseComment } from './sse.ts';
export type * from './types.ts';
export { KNOWN_REQUEST_FIELDS, validateChatCompletionRequest } from './validate.ts';
