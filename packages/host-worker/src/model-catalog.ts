/**
 * Where a worker's models come from: the one seam between the engine host and storage. A catalog
 * lists models (with what `/v1/models` says about them) and, for one id, says how to load it:
 *
 *   { kind: 'source', source }          its files in Hugging Face layout, for our engine and runtime
 *   { kind: 'engine', runtime, load }   a whole engine of another runtime (WebLLM: webllm-catalog.ts)
 *
 * Files come from the model store (@cinder/model-store: downloaded into Cache Storage, so they work
 * offline) or straight from base URLs (a Hugging Face `resolve/main/` URL or any static directory).
 */

import type { Engine, LoadedModelInfo, LoadProgress } from '@cinder/engine';
import { type ModelSource, urlModelSource } from '@cinder/model-format';
import type { ModelStore } from '@cinder/model-store';
import { keepDerivedFiles } from './gguf-source.ts';

/** One model a catalog serves, as `/v1/models` describes it. */
export interface CatalogModel {
  readonly id: string;
  /** The runtime that serves it, when it is not ours (e.g. `webllm`). */
  readonly runtime?: string;
  /** Download size in bytes, when known. */
  readonly sizeBytes?: number | null;
  /** Whether its files are on this device (a load needs no network). */
  readonly cached?: boolean;
}

/** How to load one model: its files (our runtime) or an engine of its own. */
export type CatalogEntry = SourceEntry | EngineEntry;

export interface SourceEntry {
  readonly kind: 'source';
  readonly source: ModelSource;
}

export interface EngineEntry {
  readonly kind: 'engine';
  /** Which runtime serves it, e.g. `webllm`. */
  readonly runtime: string;
  /** Fetches what is missing (reporting progress), then starts an engine serving this one model. */
  load(options: EngineLoadOptions): Promise<LoadedEngine>;
}

export interface EngineLoadOptions {
  readonly onProgress?: (progress: LoadProgress) => void;
  /** Aborted when the model is unloaded before it finished loading. */
  readonly signal?: AbortSignal;
}

/** A started engine and what the host reports about it (`loaded()`). */
export interface LoadedEngine {
  readonly engine: Engine;
  readonly info: LoadedModelInfo;
}

export interface ModelCatalog {
  /** The models that can be loaded: what `/v1/models` lists before anything is loaded. */
  list(): Promise<CatalogModel[]>;
  /**
   * How to load a model, or null for an id the catalog does not know. May throw an ApiError for an id
   * it knows but cannot serve here (e.g. a 400 when the GPU lacks a feature the model needs).
   */
  entry(id: string): Promise<CatalogEntry | null>;
  /** Forget a model's stored files (a catalog that stores nothing may omit it). */
  delete?(id: string): Promise<void>;
  /** Bytes its models hold on this device (a catalog that stores nothing may omit it). */
  storageUsed?(): Promise<number>;
}

/** A catalog of models at base URLs: `{ 'HuggingFaceTB/SmolLM2-135M-Instruct': hubModelUrl(...) }`. */
export function urlCatalog(models: Readonly<Record<string, string>>, fetchFn?: typeof fetch): ModelCatalog {
  return {
    async list() {
      return Object.keys(models).map((id) => ({ id, sizeBytes: null, cached: false }));
    },
    async entry(id) {
      const baseUrl = models[id];
      return baseUrl === undefined ? null : { kind: 'source', source: urlModelSource(id, baseUrl, fetchFn) };
    },
  };
}

/** The `resolve/main/` URL of a Hugging Face repo (`owner/name`) on the Hub or a server with its layout. */
export function hubModelUrl(repo: string, hubUrl = 'https://huggingface.co', revision = 'main'): string {
  return `${hubUrl.replace(/\/+$/, '')}/${repo}/resolve/${revision}/`;
}

type StoreCalls = Pick<ModelStore, 'list' | 'get' | 'source' | 'delete'> &
  Partial<Pick<ModelStore, 'storageUsed' | 'derived'>>;

/** The models the store holds ready (downloads still running are not listed). `delete` removes the files. */
export function storeCatalog(store: StoreCalls): ModelCatalog {
  return {
    async list() {
      return (await store.list())
        .filter((model) => model.status === 'ready')
        .map((model) => ({ id: model.id, sizeBytes: model.bytes, cached: true }));
    },
    async entry(id) {
      if ((await store.get(id))?.status !== 'ready') return null;
      const source = store.source(id);
      // Files made from it (the GGUF wllama runs) are kept in the store, beside it.
      return { kind: 'source', source: store.derived ? keepDerivedFiles(source, store.derived(id)) : source };
    },
    async delete(id) {
      await store.delete(id);
    },
    async storageUsed() {
      return store.storageUsed ? (await store.storageUsed()).bytes : 0;
    },
  };
}

/** Several catalogs as one: the first that lists (or knows) an id serves it; `delete` goes to every one. */
export function combineCatalogs(...catalogs: readonly ModelCatalog[]): ModelCatalog {
  return {
    async list() {
      const byId = new Map<string, CatalogModel>();
      for (const models of await Promise.all(catalogs.map((catalog) => catalog.list()))) {
        for (const model of models) if (!byId.has(model.id)) byId.set(model.id, model);
      }
      return [...byId.values()];
    },
    async entry(id) {
      for (const catalog of catalogs) {
        const entry = await catalog.entry(id);
        if (entry) return entry;
      }
      return null;
    },
    async delete(id) {
      for (const catalog of catalogs) await catalog.delete?.(id);
    },
    async storageUsed() {
      const used = await Promise.all(catalogs.map((catalog) => catalog.storageUsed?.() ?? 0));
      return used.reduce((sum, bytes) => sum + bytes, 0);
    },
  };
}
