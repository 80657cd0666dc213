import { deleteDerivedFiles } from './derived-files.ts';
import { discoverFiles, type RemoteFile } from './discover-files.ts';
import { downloadFile, storedBytes } from './download-file.ts';
import type { FileCache } from './file-cache.ts';
import { type Metadata, type ModelRecord, newRecord } from './metadata.ts';
import { resolveModelRef } from './model-ref.ts';
import { isAbortError, isQuotaError, ModelStoreError } from './model-store-error.ts';
import { ProgressTracker } from './progress.ts';
import { ensureSpace, estimateStorage, insufficientStorage, requestPersistence } from './storage-quota.ts';
import type { DownloadOptions, ModelRef } from './types.ts';

/** What a download needs from the store. */
export interface StoreContext {
  hubBase: string;
  cache: FileCache;
  metadata: Metadata;
  fetchFn: typeof fetch;
  partBytes: number;
  concurrency: number;
  hashMaxBytes: number;
  /** Web Lock name for one model, so two tabs never download the same model at once. */
  lockName(id: string): string;
}

/**
 * Downloads a model into the store, or returns it at once when it is already ready. The record is
 * written as `downloading` before the first byte and becomes `ready` only after every file is in
 * the cache, complete and verified. A failed or aborted download keeps its bytes; calling this
 * again resumes it.
 */
export async function downloadModel(
  ctx: StoreContext,
  ref: ModelRef,
  options: DownloadOptions = {},
): Promise<ModelRecord> {
  const { id, url } = resolveModelRef(ref, ctx.hubBase);
  return withLock(ctx.lockName(id), options.signal, async () => {
    const existing = await ctx.metadata.get(id);
    if (existing?.status === 'ready') return existing;
    await requestPersistence();
    const remote = await discoverFiles(id, url, ctx.fetchFn, options.signal);
    await dropChangedFiles(ctx.cache, existing, remote);
    await deleteDerivedFiles(ctx.cache, existing); // made from files that may change now
    const record = newRecord(
      id,
      url,
      remote.map((file) => ({ ...file, done: false })),
      Date.now(),
    );
    record.createdAt = existing?.createdAt ?? record.createdAt;
    await ctx.metadata.put(record);
    try {
      const held = await heldBytes(ctx.cache, remote);
      await ensureSpace(id, bytesNeeded(held, ctx.partBytes));
      await fetchAll(ctx, record, held, options);
    } catch (cause) {
      throw await recordFailure(ctx, record, remote, cause);
    }
    Object.assign(record, { status: 'ready', readyAt: Date.now(), updatedAt: Date.now(), error: null });
    await ctx.metadata.put(record);
    return record;
  });
}

/** Downloads the files `concurrency` at a time; the first failure stops the others (they keep their bytes). */
async function fetchAll(
  ctx: StoreContext,
  record: ModelRecord,
  remote: HeldFile[],
  options: DownloadOptions,
): Promise<void> {
  const progress = new ProgressTracker(record.id, remote, options.onProgress);
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const queue = [...remote];
  let failure: { cause: unknown } | undefined;
  const worker = async () => {
    for (let file = queue.shift(); file && !failure; file = queue.shift()) {
      const name = file.name;
      try {
        await downloadFile(file, {
          id: record.id,
          cache: ctx.cache,
          fetchFn: ctx.fetchFn,
          partBytes: ctx.partBytes,
          hashMaxBytes: ctx.hashMaxBytes,
          signal,
          onKept: (bytes) => progress.kept(name, bytes),
          onReceived: (bytes) => progress.received(name, bytes),
        });
        record.files.find((entry) => entry.name === name)!.done = true;
        record.updatedAt = Date.now();
        await ctx.metadata.put(record);
      } catch (cause) {
        failure ??= { cause };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, remote.length)) }, worker));
  if (failure) throw failure.cause;
}

interface HeldFile extends RemoteFile {
  /** Bytes already in storage from an earlier attempt. */
  held: number;
  complete: boolean;
}

async function heldBytes(cache: FileCache, remote: RemoteFile[]): Promise<HeldFile[]> {
  return Promise.all(
    remote.map(async (file) => {
      const { bytes, complete } = await storedBytes(cache, file);
      return { ...file, held: bytes, complete };
    }),
  );
}

/**
 * Bytes the download still has to write: what is missing, plus room for the largest unfinished file
 * that is written in parts, since its parts are joined into one cache entry before they are dropped.
 */
function bytesNeeded(files: HeldFile[], partBytes: number): number {
  let missing = 0;
  let joined = 0;
  for (const file of files) {
    if (file.complete) continue;
    missing += file.size - file.held;
    if (file.size > partBytes || file.held > 0) joined = Math.max(joined, file.size);
  }
  return missing + joined;
}

/** Notes the failure on the record (which stays `downloading`) and returns the error to throw. */
async function recordFailure(
  ctx: StoreContext,
  record: ModelRecord,
  remote: RemoteFile[],
  cause: unknown,
): Promise<unknown> {
  let error = cause;
  if (isQuotaError(cause)) {
    const needed = bytesNeeded(await heldBytes(ctx.cache, remote), ctx.partBytes);
    error = insufficientStorage(record.id, needed, await estimateStorage(), cause);
  } else if (!(cause instanceof ModelStoreError) && !isAbortError(cause)) {
    error = new ModelStoreError('download_failed', `Model ${record.id}: ${String(cause)}`, { cause });
  }
  record.error =
    error instanceof ModelStoreError
      ? { code: error.code, message: error.message }
      : { code: 'download_cancelled', message: 'The download was cancelled; download again to resume.' };
  record.updatedAt = Date.now();
  await ctx.metadata.put(record).catch(() => {}); // with no space left even this may fail; the record stays not ready
  return error;
}

/** Files of an unfinished earlier attempt that the server no longer has, or that changed there, are dropped. */
async function dropChangedFiles(cache: FileCache, existing: ModelRecord | undefined, remote: RemoteFile[]) {
  for (const old of existing?.files ?? []) {
    const now = remote.find((file) => file.url === old.url);
    if (!now || now.size !== old.size || now.etag !== old.etag) await cache.deleteFile(old.url);
  }
}

async function withLock<T>(name: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return fn();
  return locks.request(name, { signal }, fn) as Promise<T>;
}
