/**
 * @cinder/host-worker: the engine in a dedicated Web Worker, reached through comlink.
 *
 *   worker   exposeEngine(createModelHost({ runtime, catalog }), { serveHttp })
 *   page     connectEngine(worker)  ->  chat.completions.create(params, { signal }), models, load/unload
 */
export type {
  CreateResult,
  EngineWorkerApi,
  ModelControls,
  ModelStorage,
  StreamItem,
  WireError,
} from './api.ts';
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
  type GgufCatalogOptions,
  type GgufLocation,
  type GgufRef,
  ggufCatalog,
  ggufLocation,
  ggufModelStore,
  ggufStoreFetch,
} from './gguf-catalog.ts';
export {
  convertedGgufName,
  convertedGgufSource,
  GGUF_CONVERSION_VERSION,
  ggufFileOf,
  ggufOnlySource,
  keepDerivedFiles,
} from './gguf-source.ts';
export { detectGpuFeatures, type FeatureGpu, type GpuFeatures } from './gpu-features.ts';
export {
  type CatalogEntry,
  type CatalogModel,
  combineCatalogs,
  type EngineEntry,
  type EngineLoadOptions,
  hubModelUrl,
  type LoadedEngine,
  type ModelCatalog,
  type SourceEntry,
  storeCatalog,
  urlCatalog,
} from './model-catalog.ts';
export { createModelHost, type ModelHost, type ModelHostOptions } from './model-host.ts';
export type {
  WebLlmAppConfig,
  WebLlmBinding,
  WebLlmEngineHandle,
  WebLlmModelFacts,
  WebLlmModelRecord,
} from './webllm-binding.ts';
export {
  type CustomWebLlmModel,
  WEBLLM_RUNTIME,
  type WebLlmCatalogOptions,
  webLlmCatalog,
} from './webllm-catalog.ts';
export { fromWireError, registerErrorTransfer, toWireError } from './wire-errors.ts';
