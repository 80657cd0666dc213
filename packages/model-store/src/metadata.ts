import { createStore, del, get, set, type UseStore, values } from 'idb-keyval';
import type { DerivedFileRecord } from './derived-files.ts';
import type { ModelFileInfo, ModelInfo } from './types.ts';

/**
 * What IndexedDB holds per model: its info without the byte counts measured on read, plus the
 * files derived from it (absent in records written before there were any).
 */
export type ModelRecord = Omit<ModelInfo, 'storedBytes' | 'derivedBytes'> & { derived?: DerivedFileRecord[] };

/** Model records in IndexedDB (through idb-keyval), keyed by model id. */
export interface Metadata {
  get(id: string): Promise<ModelRecord | undefined>;
  put(record: ModelRecord): Promise<void>;
  all(): Promise<ModelRecord[]>;
  delete(id: string): Promise<void>;
}

export function openMetadata(dbName: string): Metadata {
  let store: UseStore | undefined;
  const db = () => (store ??= createStore(dbName, 'models'));
  return {
    get: (id) => get<ModelRecord>(id, db()),
    put: (record) => set(record.id, record, db()),
    all: () => values<ModelRecord>(db()),
    delete: (id) => del(id, db()),
  };
}

export function newRecord(id: string, url: string, files: ModelFileInfo[], now: number): ModelRecord {
  return {
    id,
    url,
    status: 'downloading',
    files,
    bytes: files.reduce((total, file) => total + file.size, 0),
    createdAt: now,
    updatedAt: now,
    readyAt: null,
    error: null,
  };
}
