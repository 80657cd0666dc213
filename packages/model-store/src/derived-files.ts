/**
 * Files made on this device from a stored model (the GGUF that wllama runs, converted from the
 * model's safetensors), kept beside it so the next page load skips the work. They live in the same
 * Cache Storage as the model's files, keyed `${model url}${name}?cinder-derived`, and are listed in
 * the model's record: counted in its storage, deleted with it.
 *
 * Each one carries the `version` of whatever made it; `get` with another version finds nothing, so a
 * maker that changes its output bumps its version and old files are made again (and replaced).
 */
import type { FileCache } from './file-cache.ts';
import type { Metadata, ModelRecord } from './metadata.ts';
import { ModelStoreError } from './model-store-error.ts';

/** One derived file as the model's record lists it. */
export interface DerivedFileRecord {
  name: string;
  /** Its Cache Storage key. */
  url: string;
  size: number;
  version: string;
}

export interface DerivedFiles {
  /** The file made earlier by `version` of its maker, or null (none, another version, or evicted). */
  get(name: string, version: string): Promise<Blob | null>;
  /**
   * Keeps `blob` as `name`, replacing any earlier version. Fails with `model_not_ready` when the
   * model is not ready in the store, and with the storage's error when it is full (nothing kept then).
   */
  put(name: string, version: string, blob: Blob): Promise<void>;
}

const DERIVED_PARAM = 'cinder-derived';

function derivedFileUrl(record: Pick<ModelRecord, 'url'>, name: string): string {
  const url = new URL(name, record.url.endsWith('/') ? record.url : `${record.url}/`);
  url.searchParams.set(DERIVED_PARAM, '');
  return url.href;
}

export function derivedBytes(record: Pick<ModelRecord, 'derived'>): number {
  return (record.derived ?? []).reduce((total, file) => total + file.size, 0);
}

/** Removes every derived file of `record` from the cache (its record is being dropped or replaced). */
export async function deleteDerivedFiles(cache: FileCache, record: ModelRecord | undefined): Promise<void> {
  for (const file of record?.derived ?? []) await cache.deleteFile(file.url);
}

export function derivedFiles(id: string, metadata: Metadata, cache: FileCache): DerivedFiles {
  async function readyRecord(): Promise<ModelRecord> {
    const record = await metadata.get(id);
    if (record?.status !== 'ready') {
      throw new ModelStoreError(
        'model_not_ready',
        `Model ${id} is not ready in the store: nothing is kept for it`,
      );
    }
    return record;
  }

  /** Writes the record back with `derived` changed, unless the model went away or was replaced meanwhile. */
  async function update(
    readyAt: number | null,
    change: (derived: DerivedFileRecord[]) => DerivedFileRecord[],
  ): Promise<boolean> {
    const record = await metadata.get(id);
    if (record?.status !== 'ready' || record.readyAt !== readyAt) return false;
    await metadata.put({ ...record, derived: change(record.derived ?? []), updatedAt: Date.now() });
    return true;
  }

  return {
    async get(name, version) {
      const record = await metadata.get(id);
      if (record?.status !== 'ready') return null;
      const entry = record.derived?.find((file) => file.name === name);
      if (!entry || entry.version !== version) return null;
      const response = await cache.complete(entry.url);
      if (response) return response.blob();
      // Evicted by the browser: forget it, so the storage count stays true.
      await update(record.readyAt, (derived) => derived.filter((file) => file.name !== name));
      return null;
    },

    async put(name, version, blob) {
      const record = await readyRecord();
      const url = derivedFileUrl(record, name);
      await cache.putComplete(url, blob, 'application/octet-stream');
      const entry: DerivedFileRecord = { name, url, size: blob.size, version };
      const kept = await update(record.readyAt, (derived) => [
        ...derived.filter((file) => file.name !== name),
        entry,
      ]);
      if (!kept) {
        await cache.deleteFile(url); // the model was deleted while this was written
        throw new ModelStoreError('model_not_ready', `Model ${id} left the store while ${name} was kept`);
      }
    },
  };
}
