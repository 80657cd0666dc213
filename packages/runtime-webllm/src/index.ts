/**
 * @cinder/runtime-webllm: WebLLM (`@mlc-ai/web-llm` 0.2.86) as a second runtime behind cinder's
 * OpenAI-shaped Engine: the request adapter, WebLLM's model catalog, loading and cache storage.
 * What each request field does on this runtime: docs/runtimes.md.
 */

/** WebLLM's own model list, for catalogs that cannot import @mlc-ai/web-llm themselves. */
export { prebuiltAppConfig } from '@mlc-ai/web-llm';
export {
  defaultGpu,
  type GpuLike,
  hasShaderF16,
  needsShaderF16,
  pickWebLlmVariant,
  type WebLlmModelInfo,
  type WebLlmModelKind,
  webLlmModels,
} from './catalog.ts';
export {
  assistantHeader,
  loadedChatConfig,
  vocabSizeOf,
  type WebLlmChatConfig,
} from './chat-config.ts';
export {
  createWebLlmEngine,
  WEBLLM_SYSTEM_FINGERPRINT,
  type WebLlmEngineOptions,
} from './create-webllm-engine.ts';
export { describeFailure, toApiError as webLlmErrorToApiError } from './errors.ts';
export { type LoadWebLlmOptions, loadWebLlm, mapInitProgress, type WebLlmLoadable } from './load.ts';
export type { ReasoningPlan } from './reasoning/choice-reasoning.ts';
export {
  EMPTY_THINKING_BLOCK,
  type WebLlmThinking,
  webLlmThinking,
} from './reasoning/thinking-models.ts';
export { type MapOptions, planRequest, type WebLlmPlan } from './request/map-request.ts';
export { REFUSED_PARAMS, WEBLLM_TOOL_MODELS } from './request/refusals.ts';
export { type WebLlmStorage, webLlmStorage } from './storage.ts';
export {
  type RecordedCall,
  type RecordingWebLlmEngine,
  type RecordingWebLlmOptions,
  recordingWebLlmEngine,
  type WebLlmFailure,
  type WebLlmRecording,
  type WebLlmReply,
} from './testing/recording-engine.ts';
export { WEBLLM_RECORDINGS } from './testing/recordings.ts';
export type {
  WebLlmChunk,
  WebLlmCompletion,
  WebLlmEngineLike,
  WebLlmMessage,
  WebLlmRequest,
  WebLlmResponseFormat,
  WebLlmTokenLogprob,
} from './webllm-types.ts';
