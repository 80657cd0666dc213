/**
 * For the engine worker: the picker's WebLLM models (webllm-models.ts), served by WebLLM next to the
 * model store's models. WebLLM itself is imported only when this catalog is first listed or used.
 *
 *   createModelHost({ runtime, catalog: demoCatalog(createModelStore()) })
 */
import { combineCatalogs, type ModelCatalog, storeCatalog, webLlmCatalog } from '@cinder/host-worker';
import type { ModelStore } from '@cinder/model-store';
import { WEBLLM_MODELS } from './webllm-models.ts';

export function webLlmDemoCatalog(): ModelCatalog {
  return webLlmCatalog({
    models: WEBLLM_MODELS.map((model) => model.id),
    sizes: Object.fromEntries(WEBLLM_MODELS.map((model) => [model.id, model.bytes])),
  });
}

/** The worker's whole catalog: the store's models (our runtimes), then WebLLM's. */
export function demoCatalog(store: ModelStore): ModelCatalog {
  return combineCatalogs(storeCatalog(store), webLlmDemoCatalog());
}
