/**
 * Model files in Cache Storage. A complete file is one entry keyed by its canonical URL (so a
 * service worker could even answer Hub URLs from it). While a file downloads, the bytes received
 * so far are kept as parts in a second cache, keyed `${url}?cinder-part=${start}-${end}`, so an
 * interrupted download resumes from the last byte kept.
 */

/** A kept piece of a file: bytes `[start, end)`. */
export interface Part {
  start: number;
  end: number;
  key: Request;
}

export interface FileCache {
  /** The complete file, or undefined. */
  complete(url: string): Promise<Response | undefined>;
  hasComplete(url: string): Promise<boolean>;
  putComplete(url: string, body: Blob, contentType: string | null): Promise<void>;
  /** Kept parts of a file, sorted by start. */
  parts(url: string): Promise<Part[]>;
  putPart(url: string, start: number, body: Blob): Promise<void>;
  partBlob(part: Part): Promise<Blob>;
  deleteParts(url: string, parts?: Part[]): Promise<void>;
  /** Removes the file and its parts. */
  deleteFile(url: string): Promise<void>;
}

const PART_PARAM = 'cinder-part';

export function openFileCache(cacheName: string): FileCache {
  let files: Promise<Cache> | undefined;
  let partsCache: Promise<Cache> | undefined;
  const filesCache = () => (files ??= caches.open(cacheName));
  const partCache = () => (partsCache ??= caches.open(`${cacheName}-parts`));

  return {
    async complete(url) {
      return (await filesCache()).match(url);
    },
    async hasComplete(url) {
      return (await (await filesCache()).keys(url)).length > 0;
    },
    async putComplete(url, body, contentType) {
      const headers: Record<string, string> = { 'content-length': String(body.size) };
      if (contentType) headers['content-type'] = contentType;
      await (await filesCache()).put(url, new Response(body, { headers }));
    },
    async parts(url) {
      const keys = await (await partCache()).keys(url, { ignoreSearch: true });
      return keys
        .map((key) => ({
          key,
          range: /^(\d+)-(\d+)$/.exec(new URL(key.url).searchParams.get(PART_PARAM) ?? ''),
        }))
        .filter((entry) => entry.range !== null)
        .map(({ key, range }) => ({ key, start: Number(range![1]), end: Number(range![2]) }))
        .sort((a, b) => a.start - b.start);
    },
    async putPart(url, start, body) {
      const key = new URL(url);
      key.searchParams.set(PART_PARAM, `${start}-${start + body.size}`);
      await (await partCache()).put(key.href, new Response(body));
    },
    async partBlob(part) {
      const response = await (await partCache()).match(part.key);
      if (!response) throw new Error(`A kept part of ${part.key.url} disappeared from the cache`);
      return response.blob();
    },
    async deleteParts(url, parts) {
      const cache = await partCache();
      for (const part of parts ?? (await this.parts(url))) await cache.delete(part.key);
    },
    async deleteFile(url) {
      await (await filesCache()).delete(url);
      await this.deleteParts(url);
    },
  };
}

/** The parts that continue each other from byte 0, and how far they reach; the rest are strays. */
export function contiguousPrefix(parts: readonly Part[]): { kept: Part[]; strays: Part[]; end: number } {
  const kept: Part[] = [];
  const strays: Part[] = [];
  let end = 0;
  for (const part of parts) {
    if (part.start === end && part.end > part.start) {
      kept.push(part);
      end = part.end;
    } else strays.push(part);
  }
  return { kept, strays, end };
}
