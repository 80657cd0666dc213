/**
 * The page's side: an OpenAI-shaped client for an engine worker.
 *
 *   const engine = connectEngine(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
 *   const stream = await engine.chat.completions.create({ model, messages, stream: true }, { signal });
 *   for await (const chunk of stream) ...
 *
 * Failures reject with `ApiError` (status, type, param, code, as the HTTP API would send them); an
 * aborted `signal` rejects with the abort reason and stops generation within one token.
 */
import type { LoadedModelInfo, LoadProgress, RequestOptions } from '@cinder/engine';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ModelList,
  ModelObject,
} from '@cinder/protocol';
import { type Endpoint, proxy, releaseProxy, transfer, wrap } from 'comlink';
import type { EngineWorkerApi, ModelStorage } from './api.ts';
import { chunkIterable } from './chunk-channel.ts';
import { registerErrorTransfer } from './wire-errors.ts';

export interface CreateCompletion {
  (
    params: ChatCompletionRequest & { stream: true },
    options?: RequestOptions,
  ): Promise<AsyncIterable<ChatCompletionChunk>>;
  (
    params: ChatCompletionRequest & { stream?: false | null },
    options?: RequestOptions,
  ): Promise<ChatCompletion>;
  (
    params: ChatCompletionRequest,
    options?: RequestOptions,
  ): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>>;
}

export interface EngineClient {
  readonly chat: { readonly completions: { readonly create: CreateCompletion } };
  readonly models: { list(): Promise<ModelList>; retrieve(id: string): Promise<ModelObject> };
  loadModel(
    id: string,
    options?: { onProgress?: (progress: LoadProgress) => void },
  ): Promise<LoadedModelInfo>;
  unloadModel(id: string): Promise<boolean>;
  loadedModels(): Promise<LoadedModelInfo[]>;
  deleteModel(id: string): Promise<void>;
  /** Bytes the worker's models hold on this device (every runtime's stores). */
  storageUsed(): Promise<ModelStorage>;
  /** A fresh port serving the HTTP API, for the service worker (registerCinder) or createFetch. */
  connectHttp(): Promise<MessagePort>;
  /** Stop talking to the worker (it keeps running; terminate it yourself). */
  close(): void;
}

export function connectEngine(target: Worker | MessagePort | Endpoint): EngineClient {
  registerErrorTransfer();
  // Request ids only need to be unique among the clients of one worker (randomUUID needs a secure context).
  const clientId = Math.random().toString(36).slice(2);
  let nextRequest = 1;
  const remote = wrap<EngineWorkerApi>(target);
  (target as Partial<MessagePort>).start?.();

  async function create(params: unknown, options: RequestOptions = {}) {
    const { signal } = options;
    signal?.throwIfAborted();
    const id = `${clientId}-${nextRequest++}`;
    const onAbort = () => void remote.abort(id).catch(() => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await remote.create(id, params);
      signal?.throwIfAborted();
      if (result.kind === 'completion') return result.completion;
      return chunkIterable(result.chunks, signal);
    } catch (cause) {
      signal?.throwIfAborted();
      throw cause;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    chat: { completions: { create: create as CreateCompletion } },
    models: { list: () => remote.listModels(), retrieve: (id) => remote.retrieveModel(id) },
    loadModel: (id, options = {}) =>
      remote.loadModel(id, options.onProgress ? proxy(options.onProgress) : undefined),
    unloadModel: (id) => remote.unloadModel(id),
    loadedModels: () => remote.loadedModels(),
    deleteModel: (id) => remote.deleteModel(id),
    storageUsed: () => remote.storageUsed(),
    async connectHttp() {
      const { port1, port2 } = new MessageChannel();
      await remote.serveHttp(transfer(port2, [port2]));
      return port1;
    },
    close: () => remote[releaseProxy](),
  };
}
