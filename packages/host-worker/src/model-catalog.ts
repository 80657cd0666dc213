/**
 * Where a worker's models come from: the one seam between the engine host and storage. Models are
 * read from the model store (@cinder/model-store: downloaded into Cache Storage, so they work offline)
 * or straight from base URLs (a Hugging Face `resolve/main/` URL or any static directory).
 */
import { type ModelSource, urlModelSource } from '@cinder/model-format';
import type { ModelStore } from '@cinder/model-store';

export interface ModelCatalog {
  /** Ids that can be loaded: what `/v1/models` lists before anything is loaded. */
  list(): Promise<string[]>;
  /** The model's files, or null for an id the catalog does not know. */
  source(id: string): Promise<ModelSource | null>;
  /** Forget a model's stored files (a catalog that stores nothing may omit it). */
  delete?(id: string): Promise<void>;
}

/** A catalog of models at base URLs: `{ 'HuggingFaceTB/SmolLM2-135M-Instruct': hubModelUrl(...) }`. */
export function urlCatalog(models: Readonly<Record<string, string>>, fetchFn?: typeof fetch): ModelCatalog {
  return {
    async list() {
      return Object.keys(models);
    },
    async source(id) {
      const baseUrl = models[id];
      return baseUrl === undefined ? null : urlModelSource(id, baseUrl, fetchFn);
    },
  };
}

/** The `resolve/main/` URL of a Hugging Face repo (`owner/name`) on the Hub or a server with its layout. */
export function hubModelUrl(repo: string, hubUrl = 'https://huggingface.co', revision = 'main'): string {
  return `${hubUrl.replace(/\/+$/, '')}/${repo}/resolve/${revision}/`;
}

/** The models the store holds ready (downloads still running are not listed). `delete` removes the files. */
export function storeCatalog(store: Pick<ModelStore, 'list' | 'get' | 'source' | 'delete'>): ModelCatalog {
  return {
    async list() {
      return (await store.list()).filter((model) => model.status === 'ready').map((model) => model.id);
    },
    async source(id) {
      return (await store.get(id))?.status === 'ready' ? store.source(id) : null;
    },
    async delete(id) {
      await store.delete(id);
    },
  };
}

/** Several catalogs as one: the first that knows an id serves it; `delete` goes to every one. */
export function combineCatalogs(...catalogs: readonly ModelCatalog[]): ModelCatalog {
  return {
    async list() {
      return [...new Set((await Promise.all(catalogs.map((catalog) => catalog.list()))).flat())];
    },
    async source(id) {
      for (const catalog of catalogs) {
        const source = await catalog.source(id);
        if (source) return source;
      }
      return null;
    },
    async delete(id) {
      for (const catalog of catalogs) await catalog.delete?.(id);
    },
  };
}
