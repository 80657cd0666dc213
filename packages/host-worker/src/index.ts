/**
 * @cinder/host-worker: the engine in a dedicated Web Worker, reached through comlink.
 *
 *   worker   exposeEngine(createModelHost({ runtime, catalog }), { serveHttp })
 *   page     connectEngine(worker)  ->  chat.completions.create(params, { signal }), models, load/unload
 */
export type { CreateResult, EngineWorkerApi, ModelControls, StreamItem, WireError } from './api.ts';
export {
  autoRuntime,
  type ChooseRuntimeOptions,
  chooseRuntime,
  type GpuLike,
  type RuntimeChoice,
  type WebGpuRuntimeFactory,
} from './choose-runtime.ts';
export { chunkIterable, chunkStream } from './chunk-channel.ts';
export { type CreateCompletion, connectEngine, type EngineClient } from './connect-engine.ts';
export { type ExposableEngine, type ExposeOptions, exposeEngine } from './expose-engine.ts';
export {
  combineCatalogs,
  hubModelUrl,
  type ModelCatalog,
  storeCatalog,
  urlCatalog,
} from './model-catalog.ts';
export { createModelHost, type ModelHost, type ModelHostOptions } from './model-host.ts';
export { fromWireError, registerErrorTransfer, toWireError } from './wire-errors.ts';
