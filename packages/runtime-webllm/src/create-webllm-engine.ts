/**
 * `createWebLlmEngine`: cinder's `Engine` surface over one loaded WebLLM engine. Each request is
 * validated by @cinder/protocol (the same 400s as cinder's runtime), then mapped (request/), then
 * run one at a time (request-queue.ts), and the answer is rebuilt in our shape (response/).
 */

import type { Engine, RequestOptions } from '@cinder/engine';
import type { ChatCompletion, ChatCompletionChunk, ModelObject } from '@cinder/protocol';
import {
  ApiError,
  buildModelList,
  buildModelObject,
  unixSeconds,
  validateChatCompletionRequest,
} from '@cinder/protocol';
import { loadedChatConfig, type WebLlmChatConfig } from './chat-config.ts';
import { planRequest } from './request/map-request.ts';
import { RequestQueue } from './request-queue.ts';
import { runCompletion } from './response/completion.ts';
import { openStream } from './response/stream.ts';
import type { WebLlmEngineLike } from './webllm-types.ts';

export interface WebLlmEngineOptions {
  /** The WebLLM `model_id` the engine has loaded; also the `model` requests must name. */
  readonly modelId: string;
  readonly engine: WebLlmEngineLike;
  /** `owned_by` of the listed model. Default `webllm`. */
  readonly ownedBy?: string;
  /**
   * The model's vocabulary size, to refuse logit_bias ids beyond it. Default: `vocab_size` of the
   * chat config (below).
   */
  readonly vocabSize?: number;
  /**
   * The loaded model's mlc-chat-config.json. Default: the one an `MLCEngine` read in `reload()`
   * (chat-config.ts); give it for a `WebWorkerMLCEngine`, whose config stays in its worker.
   */
  readonly chatConfig?: WebLlmChatConfig;
}

/** Same value style as cinder's runtime (`fp_cinder_0`), naming the runtime that answered. */
export const WEBLLM_SYSTEM_FINGERPRINT = 'fp_cinder_webllm_0.2.86';

export function createWebLlmEngine(options: WebLlmEngineOptions): Engine {
  const { modelId, engine } = options;
  const queue = new RequestQueue();
  const registeredAt = unixSeconds();
  const model: ModelObject = buildModelObject(modelId, {
    created: registeredAt,
    owned_by: options.ownedBy ?? 'webllm',
    root: modelId,
    parent: null,
  });
  let disposed = false;

  async function create(
    params: unknown,
    { signal }: RequestOptions = {},
  ): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>> {
    signal?.throwIfAborted();
    const request = validateChatCompletionRequest(params);
    const chatConfig = options.chatConfig ?? loadedChatConfig(engine, modelId);
    const plan = planRequest(request, { modelId, vocabSize: options.vocabSize, chatConfig });
    if (disposed)
      throw new ApiError(503, 'The WebLLM engine has been disposed.', { code: 'engine_disposed' });
    const release = await queue.acquire(plan.priority, signal);
    const head = {
      id: plan.id,
      created: unixSeconds(),
      model: modelId,
      system_fingerprint: WEBLLM_SYSTEM_FINGERPRINT,
    };
    if (!plan.stream) {
      try {
        return await runCompletion(engine, plan, head, signal);
      } finally {
        release();
      }
    }
    try {
      return await openStream({
        engine,
        plan,
        head: { ...head, includeUsage: plan.includeUsage },
        modelId,
        signal,
        release,
      });
    } catch (cause) {
      release();
      throw cause;
    }
  }

  function retrieve(id: string): ModelObject {
    if (id !== modelId) {
      throw new ApiError(404, `The model '${id}' does not exist or you do not have access to it.`, {
        param: 'model',
        code: 'model_not_found',
      });
    }
    return model;
  }

  return {
    chat: { completions: { create } },
    models: {
      list: async () => buildModelList([model]),
      retrieve: async (id) => retrieve(id),
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await engine.unload();
    },
  };
}
