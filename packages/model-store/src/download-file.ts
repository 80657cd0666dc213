import type { RemoteFile } from './discover-files.ts';
import { contiguousPrefix, type FileCache } from './file-cache.ts';
import { parseContentRange } from './http-headers.ts';
import { formatBytes, isAbortError, isQuotaError, ModelStoreError } from './model-store-error.ts';
import { verifyFile } from './verify-file.ts';

export interface FileDownload {
  id: string;
  cache: FileCache;
  fetchFn: typeof fetch;
  /** Received bytes are written to the cache every this many bytes, and whatever arrived on a failure. */
  partBytes: number;
  hashMaxBytes: number;
  signal?: AbortSignal;
  /** Bytes held before any transfer (kept parts, or the whole file when it is already complete). */
  onKept(bytes: number): void;
  /** Bytes held, as they arrive. */
  onReceived(bytes: number): void;
}

/** Bytes of a file already in the cache: its size when complete, else its kept parts from byte 0. */
export async function storedBytes(
  cache: FileCache,
  file: { url: string; size: number },
): Promise<{ bytes: number; complete: boolean }> {
  if (await cache.hasComplete(file.url)) return { bytes: file.size, complete: true };
  return { bytes: contiguousPrefix(await cache.parts(file.url)).end, complete: false };
}

/**
 * Brings one file into the cache, complete and verified. Continues from the parts an earlier
 * attempt kept with a `Range: bytes=N-` request; parts that do not continue from byte 0 are dropped.
 * On any failure (network, abort, quota) the bytes received so far are written as a part first.
 */
export async function downloadFile(file: RemoteFile, job: FileDownload): Promise<void> {
  if (await job.cache.hasComplete(file.url)) {
    job.onKept(file.size);
    return;
  }
  const { strays, end } = contiguousPrefix(await job.cache.parts(file.url));
  await job.cache.deleteParts(file.url, strays);
  job.onKept(end);
  const whole = end < file.size ? await fetchFrom(file, end, job) : null;
  await saveComplete(file, job, whole);
}

/**
 * Fetches the file from `offset` on, writing a part every `partBytes`. Resolves to the whole file
 * when it arrived in one piece that was never written as a part (no need to join parts), else null.
 */
async function fetchFrom(file: RemoteFile, offset: number, job: FileDownload): Promise<Blob | null> {
  const response = await fetchFile(file, offset, job);
  if (offset > 0 && response.status === 200) {
    // The server ignored the Range header: start the file over from this full response.
    await job.cache.deleteParts(file.url);
    offset = 0;
  } else if (offset > 0) {
    const range = parseContentRange(response.headers.get('content-range'));
    if (range?.start !== offset || range.size !== file.size) {
      await response.body?.cancel();
      await job.cache.deleteParts(file.url);
      throw new ModelStoreError(
        'integrity_error',
        `Model ${job.id}: ${file.name} changed on the server during the download (asked for bytes ${offset}-, got ${response.headers.get('content-range')}); download again`,
      );
    }
  }
  if (!response.body) throw failed(job.id, file, offset, 'the response has no body');
  const reader = response.body.getReader();
  let pending: Uint8Array<ArrayBuffer>[] = [];
  let partStart = offset;
  const flush = async () => {
    if (offset === partStart) return;
    const body = new Blob(pending);
    pending = [];
    await job.cache.putPart(file.url, partStart, body);
    partStart += body.size;
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (offset + value.length > file.size) {
        throw new ModelStoreError(
          'integrity_error',
          `Model ${job.id}: ${file.name} is longer than the ${file.size} bytes the server stated`,
        );
      }
      pending.push(value);
      offset += value.length;
      job.onReceived(offset);
      if (offset - partStart >= job.partBytes) await flush();
    }
  } catch (cause) {
    await reader.cancel().catch(() => {});
    await flush().catch(() => {}); // keep what arrived, so the next attempt resumes from here
    job.onKept(partStart); // and report what is held now
    throw asStoreError(cause, job.id, file, partStart);
  }
  if (partStart === 0 && offset === file.size) return new Blob(pending);
  await flush();
  if (offset < file.size) throw failed(job.id, file, offset, 'the response ended early');
  return null;
}

async function fetchFile(file: RemoteFile, offset: number, job: FileDownload): Promise<Response> {
  const headers = offset > 0 ? { Range: `bytes=${offset}-` } : undefined;
  let response: Response;
  try {
    // no-store: the browser's HTTP cache would keep a second copy, and it rewrites Range requests.
    response = await job.fetchFn(file.url, { headers, signal: job.signal, cache: 'no-store' });
  } catch (cause) {
    throw asStoreError(cause, job.id, file, offset);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw failed(job.id, file, offset, `HTTP ${response.status}`);
  }
  return response;
}

/**
 * Verifies the file (`whole`, or its kept parts joined) and writes it as one cache entry, then
 * drops the parts. A file that fails verification loses its parts: the next attempt starts over.
 */
async function saveComplete(file: RemoteFile, job: FileDownload, whole: Blob | null): Promise<void> {
  const { kept } = whole ? { kept: [] } : contiguousPrefix(await job.cache.parts(file.url));
  const blob = whole ?? new Blob(await Promise.all(kept.map((part) => job.cache.partBlob(part))));
  try {
    await verifyFile(job.id, file, blob, job.hashMaxBytes);
  } catch (cause) {
    await job.cache.deleteParts(file.url);
    throw cause;
  }
  await job.cache.putComplete(file.url, blob, contentTypeOf(file.name));
  if (kept.length > 0) await job.cache.deleteParts(file.url, kept);
}

function contentTypeOf(name: string): string {
  return name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
}

/** Aborts and quota errors pass through (the caller reports those); the rest become download_failed. */
function asStoreError(cause: unknown, id: string, file: RemoteFile, offset: number): unknown {
  if (cause instanceof ModelStoreError || isAbortError(cause) || isQuotaError(cause)) return cause;
  return failed(id, file, offset, cause instanceof Error ? cause.message : String(cause), cause);
}

function failed(id: string, file: RemoteFile, offset: number, why: string, cause?: unknown): ModelStoreError {
  return new ModelStoreError(
    'download_failed',
    `Model ${id}: downloading ${file.name} stopped after ${formatBytes(offset)} of ${formatBytes(file.size)} (${why}); download again to resume`,
    { cause },
  );
}
