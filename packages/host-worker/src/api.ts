/**
 * What crosses between the page and the engine worker: the object the worker exposes through comlink,
 * and the data its methods return. Everything here is structured-clonable; streams and ports are
 * transferred. Errors cross as data we own (`WireError`) and are rebuilt as `ApiError`.
 */
import type { LoadedModelInfo, LoadProgress } from '@cinder/engine';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ErrorBody,
  ModelList,
  ModelObject,
} from '@cinder/protocol';

/** An error as it crosses: the HTTP status and the OpenAI error body `{error: {message, type, param, code}}`. */
export interface WireError extends ErrorBody {
  readonly status: number;
}

/** One item of a transferred chunk stream: a chunk, or the error that ended the stream. */
export type StreamItem = { readonly chunk: ChatCompletionChunk } | { readonly error: WireError };

export type CreateResult =
  | { readonly kind: 'completion'; readonly completion: ChatCompletion }
  | { readonly kind: 'stream'; readonly chunks: ReadableStream<StreamItem> };

/** Model management a worker may offer beyond the OpenAI surface (see model-host.ts). */
export interface ModelControls {
  /** Load now (otherwise a model loads on its first request); progress as the weights arrive. */
  load(id: string, options?: { onProgress?: (progress: LoadProgress) => void }): Promise<LoadedModelInfo>;
  /** Free a loaded model; false when it was not loaded. */
  unload(id: string): Promise<boolean>;
  loaded(): LoadedModelInfo[];
  /** Unload and forget the model's stored files (whichever runtime stored them). */
  delete(id: string): Promise<void>;
  /** What the models' files take on this device, over every catalog (and runtime) that stores some. */
  storageUsed(): Promise<ModelStorage>;
}

export interface ModelStorage {
  /** Bytes held by stored models, complete or partial, as far as their stores can tell. */
  readonly bytes: number;
}

/** The object a worker exposes (`exposeEngine`); on the page every method returns a promise. */
export interface EngineWorkerApi {
  /** Runs a request; `requestId` (chosen by the caller) is what `abort` names. */
  create(requestId: string, params: unknown): Promise<CreateResult>;
  abort(requestId: string): void;
  listModels(): Promise<ModelList>;
  retrieveModel(id: string): Promise<ModelObject>;
  loadModel(id: string, onProgress?: (progress: LoadProgress) => void): Promise<LoadedModelInfo>;
  unloadModel(id: string): Promise<boolean>;
  loadedModels(): Promise<LoadedModelInfo[]>;
  deleteModel(id: string): Promise<void>;
  storageUsed(): Promise<ModelStorage>;
  /** Serve the HTTP API (port-protocol of @cinder/host-sw) on this port. */
  serveHttp(port: MessagePort): void;
}
