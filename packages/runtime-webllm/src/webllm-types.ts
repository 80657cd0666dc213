/**
 * The part of WebLLM (`@mlc-ai/web-llm` 0.2.86) this package talks to. `WebLlmEngineLike` is the
 * structural subset of `MLCEngineInterface` that the adapter calls, so a real `MLCEngine`, a
 * `WebWorkerMLCEngine` or a test stand-in (testing/recording-engine.ts) can be passed in.
 * Type-only file: the WebLLM bundle is not loaded by importing it.
 */
import type {
  ChatCompletionChunk as WebLlmChunk,
  ChatCompletion as WebLlmCompletion,
  ChatCompletionMessageParam as WebLlmMessage,
  ChatCompletionRequest as WebLlmRequest,
  ResponseFormat as WebLlmResponseFormat,
  ChatCompletionTokenLogprob as WebLlmTokenLogprob,
} from '@mlc-ai/web-llm';

export type {
  WebLlmChunk,
  WebLlmCompletion,
  WebLlmMessage,
  WebLlmRequest,
  WebLlmResponseFormat,
  WebLlmTokenLogprob,
};

export interface WebLlmEngineLike {
  /** Resolves to a completion, or to an async iterable of chunks when `request.stream` is true. */
  chatCompletion(request: WebLlmRequest): Promise<WebLlmCompletion | AsyncIterable<WebLlmChunk>>;
  /** Sets WebLLM's engine-wide interrupt flag; the running generation stops at its next token. */
  interruptGenerate(): void | Promise<void>;
  /** Drops the conversation and KV cache, so the next request prefills its whole prompt. */
  resetChat(keepStats?: boolean, modelId?: string): Promise<void>;
  /** The output text of the last generation (after stop-string truncation). */
  getMessage(modelId?: string): Promise<string>;
  unload(): Promise<void>;
}
