import type { ModelSource } from '@cinder/model-format';
import { cachedModelSource } from './cached-model-source.ts';
import { type DerivedFiles, deleteDerivedFiles, derivedBytes, derivedFiles } from './derived-files.ts';
import { storedBytes } from './download-file.ts';
import { downloadModel, type StoreContext } from './download-model.ts';
import { openFileCache } from './file-cache.ts';
import { type ModelRecord, openMetadata } from './metadata.ts';
import { DEFAULT_HUB, resolveModelRef } from './model-ref.ts';
import { estimateStorage, isPersisted } from './storage-quota.ts';
import type { DownloadOptions, ModelInfo, ModelRef, ModelStoreOptions, StorageUsage } from './types.ts';

/**
 * Models on this device. Every method takes and returns plain data, so the store can be exposed
 * from a worker with comlink (pass `onProgress` through `comlink.proxy`); `source(id)` is for the
 * realm the store lives in (it hands out Responses).
 */
export interface ModelStore {
  /** Downloads a model (or resumes an interrupted download); resolves once it is ready. */
  download(ref: ModelRef, options?: DownloadOptions): Promise<ModelInfo>;
  list(): Promise<ModelInfo[]>;
  get(id: string): Promise<ModelInfo | null>;
  /**
   * Removes a model's files, partial ones included, and its record; a download of it in this store
   * is aborted first. False when there was none.
   */
  delete(id: string): Promise<boolean>;
  storageUsed(): Promise<StorageUsage>;
  /** The model's files from storage, for the runtimes to load offline. */
  source(id: string): ModelSource;
  /** Files made from the model on this device, kept beside it (same realm as the store, like `source`). */
  derived(id: string): DerivedFiles;
}

const MiB = 1024 * 1024;

export function createModelStore(options: ModelStoreOptions = {}): ModelStore {
  const cacheName = options.cacheName ?? 'cinder-models';
  const dbName = options.dbName ?? 'cinder-models';
  const ctx: StoreContext = {
    hubBase: options.hubBase ?? DEFAULT_HUB,
    cache: openFileCache(cacheName),
    metadata: openMetadata(dbName),
    fetchFn: options.fetch ?? ((input, init) => fetch(input, init)),
    partBytes: options.partBytes ?? 8 * MiB,
    concurrency: options.concurrency ?? 3,
    hashMaxBytes: options.hashMaxBytes ?? 256 * MiB,
    lockName: (id) => `cinder-model-store:${dbName}:${id}`,
  };

  /** Downloads running in this store, so `delete` can stop them first. */
  const active = new Map<string, { stop: AbortController; running: Promise<unknown> }>();

  /** A record as the API reports it, with the bytes actually held (measured for unfinished models). */
  async function describe(record: ModelRecord): Promise<ModelInfo> {
    let held = record.bytes;
    if (record.status !== 'ready') {
      held = 0;
      for (const file of record.files) held += (await storedBytes(ctx.cache, file)).bytes;
    }
    const { derived: _derived, ...info } = record;
    return {
      ...info,
      files: record.files.map((file) => ({ ...file })),
      storedBytes: held,
      derivedBytes: derivedBytes(record),
    };
  }

  async function list(): Promise<ModelInfo[]> {
    const records = await ctx.metadata.all();
    records.sort((a, b) => a.createdAt - b.createdAt);
    return Promise.all(records.map(describe));
  }

  return {
    async download(ref, downloadOptions = {}) {
      const { id } = resolveModelRef(ref, ctx.hubBase);
      const stop = new AbortController();
      const signal = downloadOptions.signal
        ? AbortSignal.any([downloadOptions.signal, stop.signal])
        : stop.signal;
      const running = downloadModel(ctx, ref, { ...downloadOptions, signal });
      active.set(id, { stop, running });
      try {
        return describe(await running);
      } finally {
        if (active.get(id)?.running === running) active.delete(id);
      }
    },
    list,
    async get(id) {
      const record = await ctx.metadata.get(id);
      return record ? describe(record) : null;
    },
    async delete(id) {
      const download = active.get(id);
      if (download) {
        download.stop.abort(); // a download of this store in flight would write the files again
        await download.running.catch(() => {});
      }
      const record = await ctx.metadata.get(id);
      if (!record) return false;
      await ctx.metadata.delete(id); // first: a half-deleted model must not look ready
      for (const file of record.files) await ctx.cache.deleteFile(file.url);
      await deleteDerivedFiles(ctx.cache, record);
      return true;
    },
    async storageUsed() {
      const models = await list();
      const { usage, quota } = await estimateStorage();
      return {
        bytes: models.reduce((total, model) => total + model.storedBytes + model.derivedBytes, 0),
        usage,
        quota,
        persisted: await isPersisted(),
      };
    },
    source(id) {
      return cachedModelSource(id, ctx.metadata, ctx.cache);
    },
    derived(id) {
      return derivedFiles(id, ctx.metadata, ctx.cache);
    },
  };
}
