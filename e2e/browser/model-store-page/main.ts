/**
 * The model store test page: puts a store on `window.storeTest` with helpers that return plain
 * data (errors included) for `page.evaluate`. Bundled by e2e/browser/model-store.test.ts.
 */
import { createModelStore } from '../../../packages/model-store/src/index.ts';
import type { DownloadProgress, ModelInfo, StorageUsage } from '../../../packages/model-store/src/types.ts';

const store = createModelStore({ hubBase: location.origin });

// Counts the store's requests for persistent storage (the real call still runs).
const persist = navigator.storage.persist.bind(navigator.storage);
const counter = window as unknown as { persistRequests: number };
counter.persistRequests = 0;
navigator.storage.persist = () => {
  counter.persistRequests++;
  return persist();
};

export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  status?: number;
}

export interface DownloadResult {
  info?: ModelInfo;
  error?: ErrorData;
  events: DownloadProgress[];
  ms: number;
}

export interface FileDigest {
  name: string;
  size: number;
  sha256: string;
}

export interface StoreTestApi {
  /**
   * Downloads `ref`, recording every progress event. `abortAtBytes` aborts once that many bytes are
   * held; `estimate` replaces `navigator.storage.estimate` for this call (to get past the pre-check).
   */
  download(
    ref: string,
    options?: { abortAtBytes?: number; estimate?: { usage: number; quota: number } },
  ): Promise<DownloadResult>;
  /** Starts downloading `ref` and deletes it once the first bytes arrived; how the download ended. */
  deleteWhileDownloading(ref: string): Promise<{ deleted: boolean; error?: ErrorData }>;
  list(): Promise<ModelInfo[]>;
  get(id: string): Promise<ModelInfo | null>;
  delete(id: string): Promise<boolean>;
  storageUsed(): Promise<StorageUsage>;
  /** Every file of the model read through `source(id)`, with its SHA-256. */
  readAll(id: string): Promise<FileDigest[] | { error: ErrorData }>;
  /** Bytes `[start, end)` of one file through `source(id)`, as a plain array. */
  readRange(id: string, name: string, start: number, end: number): Promise<number[] | null>;
  /** Cache Storage keys (both caches) whose URL contains `part`. */
  cacheKeys(part: string): Promise<string[]>;
  /** Keeps `text` as derived file `name` of model `id` (store.derived(id).put). */
  derivedPut(
    id: string,
    name: string,
    version: string,
    text: string,
  ): Promise<{ ok: true } | { error: ErrorData }>;
  /** The derived file's text, or null. */
  derivedGet(id: string, name: string, version: string): Promise<string | null>;
}

function errorData(cause: unknown): ErrorData {
  const error = cause as { name?: string; message?: string; code?: string; status?: number };
  return {
    name: String(error?.name),
    message: String(error?.message),
    code: error?.code,
    status: error?.status,
  };
}

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const api: StoreTestApi = {
  async download(ref, options = {}) {
    const events: DownloadProgress[] = [];
    const controller = new AbortController();
    const realEstimate = navigator.storage.estimate;
    const fake = options.estimate;
    if (fake) navigator.storage.estimate = async () => fake;
    const started = performance.now();
    try {
      const info = await store.download(ref, {
        signal: controller.signal,
        onProgress: (progress) => {
          events.push(progress);
          if (options.abortAtBytes !== undefined && progress.loaded >= options.abortAtBytes)
            controller.abort();
        },
      });
      return { info, events, ms: performance.now() - started };
    } catch (cause) {
      return { error: errorData(cause), events, ms: performance.now() - started };
    } finally {
      navigator.storage.estimate = realEstimate;
    }
  },
  async deleteWhileDownloading(ref) {
    let started: () => void = () => {};
    const firstBytes = new Promise<void>((resolve) => {
      started = resolve;
    });
    const download = store.download(ref, { onProgress: (progress) => progress.loaded > 0 && started() });
    await firstBytes;
    const deleted = await store.delete(ref);
    return download.then(
      () => ({ deleted }),
      (cause) => ({ deleted, error: errorData(cause) }),
    );
  },
  list: () => store.list(),
  get: (id) => store.get(id),
  delete: (id) => store.delete(id),
  storageUsed: () => store.storageUsed(),
  async readAll(id) {
    const info = await store.get(id);
    if (!info) return { error: { name: 'Error', message: `no model ${id}` } };
    const source = store.source(id);
    try {
      const digests: FileDigest[] = [];
      for (const file of info.files) {
        const response = await source.file(file.name);
        if (!response) throw new Error(`${file.name} is missing`);
        const bytes = await response.arrayBuffer();
        digests.push({ name: file.name, size: bytes.byteLength, sha256: await sha256(bytes) });
      }
      return digests;
    } catch (cause) {
      return { error: errorData(cause) };
    }
  },
  async readRange(id, name, start, end) {
    const response = await store.source(id).file(name, { range: [start, end] });
    return response ? Array.from(new Uint8Array(await response.arrayBuffer())) : null;
  },
  async cacheKeys(part) {
    const keys: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) {
        if (request.url.includes(part)) keys.push(request.url);
      }
    }
    return keys;
  },
  async derivedPut(id, name, version, text) {
    try {
      await store.derived(id).put(name, version, new Blob([text]));
      return { ok: true };
    } catch (cause) {
      return { error: errorData(cause) };
    }
  },
  async derivedGet(id, name, version) {
    const blob = await store.derived(id).get(name, version);
    return blob ? blob.text() : null;
  },
};

(window as unknown as { storeTest: StoreTestApi }).storeTest = api;
