/**
 * The model store's public data types. Everything that crosses its API is plain data (structured-
 * cloneable), so the store can sit behind comlink in a worker; only `source(id)` returns an object
 * with methods, for use in the same realm as the store.
 */

/**
 * Names a model: a Hugging Face repo id (`HuggingFaceTB/SmolLM2-360M-Instruct`), a base URL whose
 * files are `${url}/${file}`, or a base URL with the id to keep it under.
 */
export type ModelRef = string | { readonly id: string; readonly url: string };

export type ModelStatus = 'downloading' | 'ready';

/** One file of a stored model. */
export interface ModelFileInfo {
  /** File name inside the model, e.g. `config.json` or `model-00001-of-00002.safetensors`. */
  name: string;
  /** The canonical URL it was downloaded from; also its Cache Storage key. */
  url: string;
  /** Size in bytes as the server stated it (Content-Length / Content-Range). */
  size: number;
  /** SHA-256 (hex) when the server gave one (the Hub's LFS oid as ETag); checked after download. */
  sha256: string | null;
  etag: string | null;
  /** Whether the file is complete and verified in the cache. */
  done: boolean;
}

/** What the store knows about one model (its metadata record in IndexedDB). */
export interface ModelInfo {
  id: string;
  /** Base URL the files come from. */
  url: string;
  status: ModelStatus;
  files: ModelFileInfo[];
  /** Total size of all files. */
  bytes: number;
  /** Bytes held in storage right now (equals `bytes` once ready). */
  storedBytes: number;
  /** Bytes of files made from it on this device and kept beside it (e.g. a converted GGUF); see `derived(id)`. */
  derivedBytes: number;
  createdAt: number;
  updatedAt: number;
  readyAt: number | null;
  /** The last download failure, while the model is not ready. */
  error: { code: string; message: string } | null;
}

/** One progress report of a download: the file that moved, and the totals. */
export interface DownloadProgress {
  id: string;
  file: { name: string; loaded: number; total: number };
  /** Bytes held so far (including what earlier, interrupted attempts kept) and the model's size. */
  loaded: number;
  total: number;
  /** Average download rate of this attempt, bytes per second. */
  rate: number;
}

export interface DownloadOptions {
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
}

export interface StorageUsage {
  /** Bytes held by the store's models, complete or partial, and the files derived from them. */
  bytes: number;
  /** The origin's usage and quota from `navigator.storage.estimate()` (0 when unknown). */
  usage: number;
  quota: number;
  /** Whether the origin's storage is persistent (not evicted under pressure). */
  persisted: boolean;
}

export interface ModelStoreOptions {
  /** Where Hub repo ids resolve: `${hubBase}/${repo}/resolve/main/${file}`. Default `https://huggingface.co`. */
  hubBase?: string;
  /** Cache Storage name for complete files; partial downloads go to `${cacheName}-parts`. Default `cinder-models`. */
  cacheName?: string;
  /** IndexedDB database for the metadata. Default `cinder-models`. */
  dbName?: string;
  /** Flush received bytes to storage every this many bytes (what a crash can lose). Default 8 MiB. */
  partBytes?: number;
  /** Files downloaded at once. Default 3. */
  concurrency?: number;
  /**
   * Largest file whose SHA-256 is checked: `crypto.subtle.digest` needs the whole file in memory.
   * Larger files are checked by size only. Default 256 MiB; 0 turns hashing off.
   */
  hashMaxBytes?: number;
  /** The fetch to use (e.g. one that adds an Authorization header for gated repos). */
  fetch?: typeof fetch;
}
