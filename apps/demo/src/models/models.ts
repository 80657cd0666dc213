/**
 * The models on this device and their downloads, over @cinder/model-store: what the picker shows
 * (size, cached or not, progress), download / cancel / delete, and storage used. The engine worker
 * reads the same store, so a model is usable as soon as its download is complete.
 */
import { createModelStore, type ModelInfo, type StorageUsage } from '@cinder/model-store';
import { AppError, describeError, type ErrorInfo, hubUnreachable } from '../errors.ts';
import { builtInModels, type CatalogModel, HUB_MODELS } from './catalog.ts';

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

const HUB_HOST = 'huggingface.co';

export function createModels(options: ModelsOptions) {
  const store = createModelStore({ fetch: withHubToken(options.hubToken) });
  let catalog: CatalogModel[] = [...HUB_MODELS];
  let stored = new Map<string, ModelInfo>();
  let storage: StorageUsage | null = null;
  const downloads = new Map<string, Download>();
  const errors = new Map<string, ErrorInfo>();

  async function refresh(): Promise<void> {
    stored = new Map((await store.list()).map((info) => [info.id, info]));
    storage = await store.storageUsed().catch(() => null);
    options.onChange();
  }

  function statusOf(id: string): ModelStatus {
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
      bytes: stored.get(model.id)?.bytes || model.bytes,
      error: errors.get(model.id) ?? null,
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
      catalog = [...(await builtInModels()), ...HUB_MODELS];
      await refresh();
    },

    entries(): ModelEntry[] {
      const known = new Set(catalog.map((model) => model.id));
      const extra = [...stored.values()].filter((info) => !known.has(info.id)).map(orphan);
      return [...catalog, ...extra].map(entry);
    },

    entry(id: string): ModelEntry | null {
      const model = find(id);
      return model ? entry(model) : null;
    },

    storage: () => storage,

    isReady: (id: string) => statusOf(id).kind === 'ready',

    /** The built-in default, else the first model on the device, else null. */
    defaultModel(): string | null {
      const preferred =
        catalog.find((model) => model.isDefault) ?? catalog.find((m) => m.origin === 'built-in');
      if (preferred) return preferred.id;
      return [...stored.values()].find((info) => info.status === 'ready')?.id ?? null;
    },

    /** Downloads (or resumes) a model; resolves when it is ready. Throws an AppError on failure. */
    download(id: string): Promise<void> {
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

/** Adds `Authorization: Bearer <token>` to requests to huggingface.co, and to nothing else. */
function withHubToken(token: () => string): typeof fetch {
  return (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const value = token().trim();
    if (!value || url.hostname !== HUB_HOST) return fetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('authorization', `Bearer ${value}`);
    return fetch(input, { ...init, headers });
  };
}
