/**
 * @cinder/model-store: models downloaded into the browser (Cache Storage for files, IndexedDB for
 * metadata), with progress, resume, verification and quota errors, read back as a `ModelSource`.
 */

export type { DerivedFiles } from './derived-files.ts';
export { DEFAULT_HUB, type ResolvedModelRef, resolveModelRef } from './model-ref.ts';
export { createModelStore, type ModelStore } from './model-store.ts';
export { ModelStoreError, type ModelStoreErrorCode } from './model-store-error.ts';
export type {
  DownloadOptions,
  DownloadProgress,
  ModelFileInfo,
  ModelInfo,
  ModelRef,
  ModelStatus,
  ModelStoreOptions,
  StorageUsage,
} from './types.ts';
