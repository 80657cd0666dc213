/** Reading what a Hub-like server says about a file from its response headers. */

export interface ContentRange {
  start: number;
  /** Inclusive, as in the header. */
  end: number;
  /** Size of the whole file, or null for `*`. */
  size: number | null;
}

/** `bytes 100-199/1000` → `{ start: 100, end: 199, size: 1000 }`; null when absent or malformed. */
export function parseContentRange(header: string | null): ContentRange | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match) return null;
  return { start: Number(match[1]), end: Number(match[2]), size: match[3] === '*' ? null : Number(match[3]) };
}

/**
 * Size of the whole file: the Hub's `X-Linked-Size` (LFS files), the total of a `Content-Range`,
 * or the `Content-Length` of a full response. Null when the server does not say.
 */
export function fileSizeOf(response: Response): number | null {
  const linked = response.headers.get('x-linked-size');
  if (linked && /^\d+$/.test(linked)) return Number(linked);
  const range = parseContentRange(response.headers.get('content-range'));
  if (range) return range.size;
  const length = response.headers.get('content-length');
  return response.status === 200 && length && /^\d+$/.test(length) ? Number(length) : null;
}

/** The entity tag without quotes or weak prefix, preferring the Hub's `X-Linked-Etag` (the LFS oid). */
export function etagOf(response: Response): string | null {
  const raw = response.headers.get('x-linked-etag') ?? response.headers.get('etag');
  if (!raw) return null;
  return raw.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/** An ETag that is a SHA-256 (64 hex digits, as the Hub gives for LFS files), lower-cased; else null. */
export function sha256FromEtag(etag: string | null): string | null {
  return etag && /^[0-9a-f]{64}$/i.test(etag) ? etag.toLowerCase() : null;
}
