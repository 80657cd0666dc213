/**
 * The real WebLLM behind WebLlmBinding, from @cinder/runtime-webllm: its prebuilt app config, model
 * facts and f32 variants, loading (progress, stall timeout, errors as ApiErrors), our OpenAI surface
 * over the engine, and WebLLM's own cache. webllm-catalog.ts imports this file only when first used,
 * so bundlers put WebLLM (several MB) in a chunk of its own that apps without WebLLM never load.
 */
import * as runtime from '@cinder/runtime-webllm';
import type { WebLlmAppConfig, WebLlmBinding } from './webllm-binding.ts';

const { createWebLlmEngine, loadWebLlm, pickWebLlmVariant, webLlmModels, webLlmStorage } = runtime;

/** WebLLM's AppConfig, as runtime-webllm's functions take it (ours is its structural subset). */
type AppConfig = NonNullable<Parameters<typeof webLlmModels>[0]>;
const asAppConfig = (config: WebLlmAppConfig) => config as unknown as AppConfig;

/**
 * WebLLM's `prebuiltAppConfig`. host-worker cannot import @mlc-ai/web-llm itself (not its dependency),
 * so it comes through @cinder/runtime-webllm, read by name so that this compiles before that package
 * re-exports it.
 */
function prebuiltAppConfig(): WebLlmAppConfig {
  const config = (runtime as { prebuiltAppConfig?: WebLlmAppConfig }).prebuiltAppConfig;
  if (!config) throw new Error('@cinder/runtime-webllm does not export prebuiltAppConfig');
  return config;
}

/** `appConfig`: the models WebLLM knows by default; WebLLM's prebuilt ones unless given. */
export function defaultWebLlm(appConfig: WebLlmAppConfig = prebuiltAppConfig()): WebLlmBinding {
  return {
    appConfig,
    models: (appConfig) =>
      webLlmModels(asAppConfig(appConfig))
        .filter((model) => model.kind === 'llm')
        .map((model) => ({
          id: model.id,
          sizeBytes: null, // WebLLM records no download sizes (vramMB is GPU memory)
          needsShaderF16: model.needsShaderF16,
          contextLength: model.contextWindow ?? undefined,
        })),
    pickVariant(modelId, device) {
      try {
        return pickWebLlmVariant(modelId, device, asAppConfig(appConfig));
      } catch {
        return null; // not in the prebuilt config, or no f32 variant
      }
    },
    load: (modelId, { appConfig, onProgress, signal }) =>
      loadWebLlm(modelId, { appConfig: asAppConfig(appConfig), onProgress, signal }),
    createEngine: ({ modelId, engine, ownedBy }) =>
      createWebLlmEngine({
        modelId,
        engine: engine as Parameters<typeof createWebLlmEngine>[0]['engine'],
        ownedBy,
      }),
    storage: {
      isCached: (modelId, appConfig) => webLlmStorage.isCached(modelId, asAppConfig(appConfig)),
      delete: (modelId, appConfig) => webLlmStorage.delete(modelId, asAppConfig(appConfig)),
    },
  };
}
