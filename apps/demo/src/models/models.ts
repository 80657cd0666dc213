/**
 * The models on this device and their downloads, over @cinder/model-store: what the picker shows
 * (size, cached or not, progress), download / cancel / delete, and storage used. The engine worker
 * reads the same store, so a model is usable as soon as its download is complete.
 *
 * WebLLM models (webllm-models.ts) are not in the store: WebLLM fetches their files into its own
 * cache when the engine loads one (so they need no download here: loading shows the progress), and
 * the engine's `/v1/models` says which runtime serves each model, its size and whether it is cached.
 * Delete goes through the engine for both kinds.
 *
 * GGUF models (catalog.ts) are downloaded through host-worker's ggufStoreFetch, which presents their
 * one file as a Hugging Face-layout model: progress, resume and offline as for the others.
 */

import { ggufStoreFetch } from '@cinder/host-worker';
import { createModelStore, type ModelInfo, type StorageUsage } from '@cinder/model-store';
import { AppError, describeError, type ErrorInfo, hubUnreachable } from '../errors.ts';
import { builtInModels, type CatalogModel, ggufFiles, HUB_MODELS } from './catalog.ts';
import { HUB_HOST, withHubToken } from './hub-token.ts';
import { WEBLLM_MODELS } from './webllm-models.ts';

export type ModelStatus =
  | { readonly kind: 'absent' }
  /** A download that stopped part way (it resumes). */
  | { readonly kind: 'partial'; readonly stored: number }
  | { readonly kind: 'downloading'; readonly loaded: number; readonly total: number }
  | { readonly kind: 'ready' };

export interface ModelEntry {
  readonly model: CatalogModel;
  readonly status: ModelStatus;
  /** Exact once the store has seen the files, else the catalog's figure. */
  readonly bytes: number;
  readonly error: ErrorInfo | null;
  /** The runtime the engine serves it with (`webllm`, `webgpu`, `cpu`, ...), when it said. */
  readonly runtime: string | null;
}

/** What the engine's `/v1/models` says about a model (our extras on OpenAI's model object). */
interface ServedModel {
  readonly id: string;
  readonly runtime: string;
  readonly size_bytes: number | null;
  readonly cached: boolean;
}

export interface ModelsOptions {
  /** Access token for huggingface.co (gated models); sent nowhere else. */
  hubToken(): string;
  /** Unloads the model from the engine and deletes its files. */
  deleteFromEngine(id: string): Promise<void>;
  onChange(): void;
}

interface Download {
  readonly controller: AbortController;
  done: Promise<void>;
  loaded: number;
  total: number;
}

export function createModels(options: ModelsOptions) {
  /** The GGUF models' folders (base URL -> file), kept in step with `catalog`. */
  const gguf = ggufFiles(HUB_MODELS);
  const store = createModelStore({ fetch: ggufStoreFetch(gguf, withHubToken(options.hubToken)) });
  const webllmModels = WEBLLM_MODELS;
  let catalog: CatalogModel[] = [...HUB_MODELS, ...webllmModels];
  let stored = new Map<string, ModelInfo>();
  let served = new Map<string, ServedModel>();
  let storage: StorageUsage | null = null;
  const downloads = new Map<string, Download>();
  const errors = new Map<string, ErrorInfo>();

  async function refresh(): Promise<void> {
    stored = new Map((await store.list()).map((info) => [info.id, info]));
    storage = await store.storageUsed().catch(() => null);
    served = await servedModels();
    options.onChange();
  }

  function statusOf(id: string): ModelStatus {
    if (isWebLlm(id)) return served.get(id)?.cached ? { kind: 'ready' } : { kind: 'absent' };
    const download = downloads.get(id);
    if (download) return { kind: 'downloading', loaded: download.loaded, total: download.total };
    const info = stored.get(id);
    if (!info) return { kind: 'absent' };
    return info.status === 'ready' ? { kind: 'ready' } : { kind: 'partial', stored: info.storedBytes };
  }

  function entry(model: CatalogModel): ModelEntry {
    return {
      model,
      status: statusOf(model.id),
      bytes: stored.get(model.id)?.bytes || served.get(model.id)?.size_bytes || model.bytes,
      error: errors.get(model.id) ?? null,
      runtime: served.get(model.id)?.runtime ?? defaultRuntime(model),
    };
  }

  /** A stored model the catalog no longer lists (e.g. served by an earlier version) still shows. */
  function orphan(info: ModelInfo): CatalogModel {
    return {
      id: info.id,
      label: info.id,
      ref: { id: info.id, url: info.url },
      bytes: info.bytes,
      origin: 'built-in',
      description: 'Stored on this device.',
    };
  }

  function isWebLlm(id: string): boolean {
    return webllmModels.some((model) => model.id === id);
  }

  /**
   * WebLLM models are offered when the engine serves them: not without WebGPU, not an f16 model on a
   * GPU without shader-f16 (the engine lists its f32 variant instead), not when the engine cannot say.
   */
  function offered(model: CatalogModel): boolean {
    return model.origin !== 'webllm' || served.get(model.id)?.runtime === 'webllm';
  }

  function find(id: string): CatalogModel | undefined {
    return catalog.find((model) => model.id === id) ?? (stored.has(id) ? orphan(stored.get(id)!) : undefined);
  }

  async function runDownload(model: CatalogModel, download: Download): Promise<void> {
    try {
      await store.download(model.ref, {
        signal: download.controller.signal,
        onProgress(progress) {
          download.loaded = progress.loaded;
          download.total = progress.total;
          options.onChange();
        },
      });
    } catch (cause) {
      if (download.controller.signal.aborted) throw cause;
      const info = describeDownloadError(model, cause);
      errors.set(model.id, info);
      throw new AppError(info);
    } finally {
      downloads.delete(model.id);
      await refresh();
    }
  }

  return {
    async init(): Promise<void> {
      catalog = [...(await builtInModels()), ...HUB_MODELS, ...webllmModels];
      for (const [baseUrl, file] of ggufFiles(catalog)) gguf.set(baseUrl, file);
      await refresh();
    },

    entries(): ModelEntry[] {
      const known = new Set(catalog.map((model) => model.id));
      const extra = [...stored.values()].filter((info) => !known.has(info.id)).map(orphan);
      return [...catalog.filter(offered), ...extra].map(entry);
    },

    entry(id: string): ModelEntry | null {
      const model = find(id);
      return model ? entry(model) : null;
    },

    /** The store's usage, plus what WebLLM's cache holds of the models the engine serves with it. */
    storage(): StorageUsage | null {
      if (!storage) return null;
      const webllmBytes = [...served.values()]
        .filter((model) => model.runtime === 'webllm' && model.cached)
        .reduce((sum, model) => sum + (model.size_bytes ?? 0), 0);
      return { ...storage, bytes: storage.bytes + webllmBytes };
    },

    /** Whether the engine can load it now (a WebLLM model always: loading fetches what is missing). */
    isReady: (id: string) => isWebLlm(id) || statusOf(id).kind === 'ready',

    /** The built-in default, else the first model on the device, else null. */
    defaultModel(): string | null {
      const preferred =
        catalog.find((model) => model.isDefault) ?? catalog.find((m) => m.origin === 'built-in');
      if (preferred) return preferred.id;
      return [...stored.values()].find((info) => info.status === 'ready')?.id ?? null;
    },

    /** Downloads (or resumes) a model; resolves when it is ready. Throws an AppError on failure. */
    download(id: string): Promise<void> {
      if (isWebLlm(id)) return Promise.resolve(); // the engine's load downloads it
      const running = downloads.get(id);
      if (running) return running.done;
      const model = find(id);
      if (!model)
        return Promise.reject(new AppError({ title: 'Unknown model', message: id, action: 'models' }));
      errors.delete(id);
      const download: Download = {
        controller: new AbortController(),
        loaded: stored.get(id)?.storedBytes ?? 0,
        total: stored.get(id)?.bytes || model.bytes,
        done: Promise.resolve(),
      };
      downloads.set(id, download);
      download.done = runDownload(model, download);
      options.onChange();
      return download.done;
    },

    cancel(id: string): void {
      downloads.get(id)?.controller.abort(new DOMException('Download cancelled.', 'AbortError'));
    },

    async remove(id: string): Promise<void> {
      this.cancel(id);
      await downloads.get(id)?.done.catch(() => {});
      errors.delete(id);
      await options.deleteFromEngine(id).catch(() => store.delete(id));
      await refresh();
    },

    refresh,
  };
}

export type Models = ReturnType<typeof createModels>;

/** The runtime a model always runs on, whatever the device: WebLLM's own, GGUF on wllama. */
function defaultRuntime(model: CatalogModel): string | null {
  if (model.origin === 'webllm') return 'webllm';
  return model.gguf ? 'wllama' : null;
}

function describeDownloadError(model: CatalogModel, cause: unknown): ErrorInfo {
  const message = (cause as { message?: string } | null)?.message ?? String(cause);
  if (model.origin === 'hub' && /cannot reach/i.test(message)) return hubUnreachable(HUB_HOST);
  if (model.origin === 'hub' && /HTTP 40[13]\b/.test(message)) {
    return {
      title: `${model.label} needs a Hugging Face access token`,
      message:
        'This model is gated: accept its license on huggingface.co, create an access token there, and paste it in Settings.',
      action: 'settings',
    };
  }
  return describeError(cause);
}

/**
 * The engine's `/v1/models`, asked only through the service worker: without one (not yet in control,
 * or none) the request would reach the web server, which is not this device's engine. Empty then.
 */
async function servedModels(): Promise<Map<string, ServedModel>> {
  if (!globalThis.navigator?.serviceWorker?.controller) return new Map();
  try {
    const response = await fetch(new URL('/v1/models', location.href));
    if (!response.ok) return new Map();
    const { data } = (await response.json()) as { data?: Partial<ServedModel>[] };
    const models = (data ?? []).filter((model): model is ServedModel => typeof model.runtime === 'string');
    return new Map(models.map((model) => [model.id, model]));
  } catch {
    return new Map();
  }
}
