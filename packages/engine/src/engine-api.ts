/**
 * The engine's public surface: an OpenAI-shaped object. Hosts (HTTP handler, Web Worker via
 * comlink, service worker) call exactly this. Failures are `ApiError`s from @cinder/protocol.
 */
import type { ChatCompletion, ChatCompletionChunk, ModelList, ModelObject } from '@cinder/protocol';

export interface RequestOptions {
  /** Aborting stops generation within one token; the promise or stream then rejects with an AbortError. */
  readonly signal?: AbortSignal;
}

export interface ChatCompletions {
  /**
   * Validates the request (throws a 4xx `ApiError` before any generation when it is bad), then
   * resolves to a completion, or to a stream of chunks when `stream: true`. Leaving the stream
   * early (`break`, `return()`) cancels generation.
   */
  create(
    params: unknown,
    options?: RequestOptions,
  ): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>>;
}

export interface Models {
  list(): Promise<ModelList>;
  /** Throws a 404 `model_not_found` ApiError for an unknown id. */
  retrieve(id: string): Promise<ModelObject>;
}

export interface Engine {
  readonly chat: { readonly completions: ChatCompletions };
  readonly models: Models;
  dispose(): Promise<void>;
}
