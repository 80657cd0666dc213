/**
 * The worker's side: exposes an engine through comlink as `EngineWorkerApi`.
 *
 *   // worker.ts
 *   const engine = createModelHost({ runtime: autoRuntime(), catalog: storeCatalog(createModelStore()) });
 *   exposeEngine(engine, { serveHttp: (port) => serveHttpPort(port, createHandler({ engine })) });
 *
 * Call it synchronously at startup: messages that reach a worker before it listens are lost.
 * Streams go back as transferred ReadableStreams; every failure crosses as an ApiError (status, type,
 * param, code). `serveHttp` answers the ports the service worker and `createFetch` use (the same
 * handler as the Node server); it comes from @cinder/host-sw so that this package stays free of it.
 */
import type { Engine, LocalEngine } from '@cinder/engine';
import { ApiError } from '@cinder/protocol';
import { type Endpoint, expose, type ProxyMethods, releaseProxy, transfer } from 'comlink';
import type { CreateResult, EngineWorkerApi, ModelControls } from './api.ts';
import { chunkStream } from './chunk-channel.ts';
import { registerErrorTransfer } from './wire-errors.ts';

export type ExposableEngine = Engine & Partial<ModelControls> & Partial<Pick<LocalEngine, 'loadModel'>>;

export interface ExposeOptions {
  /** Where to listen. Default: the worker's global scope. */
  readonly endpoint?: Endpoint;
  /** Serves the HTTP API on a port: `(port) => serveHttpPort(port, createHandler({ engine }))`. */
  readonly serveHttp?: (port: MessagePort) => void;
}

export function exposeEngine(engine: ExposableEngine, options: ExposeOptions = {}): EngineWorkerApi {
  registerErrorTransfer();
  const running = new Map<string, AbortController>();

  const api: EngineWorkerApi = {
    async create(requestId, params): Promise<CreateResult> {
      const controller = new AbortController();
      running.set(requestId, controller);
      const done = () => running.delete(requestId);
      try {
        const result = await engine.chat.completions.create(params, { signal: controller.signal });
        if (Symbol.asyncIterator in result) {
          const chunks = chunkStream(result, done);
          return transfer({ kind: 'stream', chunks }, [chunks as unknown as Transferable]);
        }
        done();
        return { kind: 'completion', completion: result };
      } catch (cause) {
        done();
        throw ApiError.from(cause);
      }
    },
    abort(requestId) {
      running.get(requestId)?.abort(new DOMException('The request was aborted.', 'AbortError'));
    },
    listModels: () => guard(() => engine.models.list()),
    retrieveModel: (id) => guard(() => engine.models.retrieve(id)),
    async loadModel(id, onProgress) {
      try {
        if (engine.load) return await guard(() => engine.load!(id, { onProgress }));
        if (engine.loadModel) return await guard(() => engine.loadModel!(id));
        throw unsupported('loading models');
      } finally {
        (onProgress as Partial<ProxyMethods> | undefined)?.[releaseProxy]?.();
      }
    },
    unloadModel: (id) =>
      guard(() => (engine.unload ? engine.unload(id) : Promise.reject(unsupported('unloading models')))),
    loadedModels: () => guard(async () => (engine.loaded ? engine.loaded() : [])),
    deleteModel: (id) =>
      guard(() => (engine.delete ? engine.delete(id) : Promise.reject(unsupported('deleting models')))),
    storageUsed: () => guard(async () => (engine.storageUsed ? engine.storageUsed() : { bytes: 0 })),
    serveHttp(port) {
      if (!options.serveHttp) throw unsupported('HTTP ports (exposeEngine was given no serveHttp)');
      options.serveHttp(port);
    },
  };
  expose(api, options.endpoint ?? (globalThis as unknown as Endpoint));
  return api;
}

/** Runs `work`, turning whatever it throws into an ApiError (so it crosses with its status). */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    throw ApiError.from(cause);
  }
}

function unsupported(what: string): ApiError {
  return new ApiError(501, `This engine worker does not support ${what}.`, { code: 'not_supported' });
}
