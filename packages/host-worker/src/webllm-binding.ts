/**
 * What webllm-catalog.ts needs from WebLLM, as one small interface: the app config (model records),
 * facts about its models, loading an engine, and WebLLM's own file cache. @cinder/runtime-webllm
 * provides it for the real WebLLM; tests pass a stand-in (no model can be downloaded here).
 */
import type { Engine, LoadProgress } from '@cinder/engine';

/** One entry of WebLLM's `AppConfig.model_list` (the fields we read or write). */
export interface WebLlmModelRecord {
  /** Base URL of the weights. */
  model: string;
  model_id: string;
  /** URL of the compiled model library (`.wasm`). */
  model_lib: string;
  required_features?: string[];
  vram_required_MB?: number;
  low_resource_required?: boolean;
}

/** WebLLM's `AppConfig`, structurally. */
export interface WebLlmAppConfig {
  model_list: WebLlmModelRecord[];
}

/** What the catalog lists about a model. */
export interface WebLlmModelFacts {
  readonly id: string;
  /** Download size in bytes, when known. */
  readonly sizeBytes: number | null;
  /** Its model library needs the WebGPU feature `shader-f16`. */
  readonly needsShaderF16: boolean;
  readonly contextLength?: number;
}

/** A loaded WebLLM engine, opaque to the catalog: only `createEngine` looks inside. */
export type WebLlmEngineHandle = object;

export interface WebLlmBinding {
  /** The models WebLLM knows by default (`prebuiltAppConfig`). */
  readonly appConfig: WebLlmAppConfig;
  models(appConfig: WebLlmAppConfig): readonly WebLlmModelFacts[];
  /** The variant of `modelId` to use on a GPU with or without `shader-f16` (null: none). */
  pickVariant(modelId: string, options: { shaderF16: boolean }): string | null;
  /** Downloads what is missing into WebLLM's cache and starts an engine on the model. */
  load(
    modelId: string,
    options: {
      appConfig: WebLlmAppConfig;
      onProgress?: (progress: LoadProgress) => void;
      signal?: AbortSignal;
    },
  ): Promise<WebLlmEngineHandle>;
  /** Our OpenAI surface over a loaded WebLLM engine (validation, mapping, abort -> interruptGenerate). */
  createEngine(options: { modelId: string; engine: WebLlmEngineHandle; ownedBy?: string }): Engine;
  readonly storage: {
    isCached(modelId: string, appConfig: WebLlmAppConfig): Promise<boolean>;
    delete(modelId: string, appConfig: WebLlmAppConfig): Promise<void>;
  };
}
