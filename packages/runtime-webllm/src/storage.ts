/**
 * WebLLM's own cache of a model (weights, tokenizer, wasm library, mlc-chat-config.json, in the
 * Cache API or IndexedDB per `appConfig.cacheBackend`): is it complete, and delete it.
 * Failures (unknown model, storage errors) are ApiErrors.
 */
import {
  type AppConfig,
  deleteModelAllInfoInCache,
  hasModelInCache,
  prebuiltAppConfig,
} from '@mlc-ai/web-llm';
import { toApiError } from './errors.ts';

export interface WebLlmStorage {
  /** True when `tensor-cache.json` and every shard it lists are cached. */
  isCached(modelId: string, appConfig?: AppConfig): Promise<boolean>;
  /** Deletes weights, tokenizer, model library and chat config. */
  delete(modelId: string, appConfig?: AppConfig): Promise<void>;
}

export const webLlmStorage: WebLlmStorage = {
  async isCached(modelId, appConfig = prebuiltAppConfig) {
    try {
      return await hasModelInCache(modelId, appConfig);
    } catch (cause) {
      throw toApiError(cause);
    }
  },
  async delete(modelId, appConfig = prebuiltAppConfig) {
    try {
      await deleteModelAllInfoInCache(modelId, appConfig);
    } catch (cause) {
      throw toApiError(cause);
    }
  },
};
