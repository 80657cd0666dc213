/**
 * Sends one file as a static server should: Content-Length, a single byte Range (206, or 416 when it
 * cannot be satisfied), HEAD without a body, and a strong ETag. For model files the ETag is the file's
 * SHA-256, as the Hugging Face Hub sends it for LFS files, so the model store can verify downloads.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';

const hashes = new Map<string, Promise<string>>();

/** SHA-256 of a file, computed once per (path, size, mtime). */
export function sha256Of(path: string, size: number, mtimeMs: number): Promise<string> {
  const key = `${path}:${size}:${mtimeMs}`;
  let hash = hashes.get(key);
  if (!hash) {
    hash = new Promise((resolve, reject) => {
      const digest = createHash('sha256');
      createReadStream(path)
        .on('data', (chunk) => digest.update(chunk))
        .on('end', () => resolve(digest.digest('hex')))
        .on('error', reject);
    });
    hashes.set(key, hash);
  }
  return hash;
}

export interface SendOptions {
  readonly headers?: Record<string, string>;
  /** ETag from the content's SHA-256 (slower the first time); otherwise from size and mtime. */
  readonly sha256Etag?: boolean;
}

/** False when there is no such file (nothing was sent). */
export async function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  type: string,
  options: SendOptions = {},
): Promise<boolean> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return false;
  const etag = options.sha256Etag
    ? `"${await sha256Of(path, info.size, info.mtimeMs)}"`
    : `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'content-type': type,
    'accept-ranges': 'bytes',
    etag,
    ...options.headers,
  };
  if (req.headers['if-none-match'] === etag && !req.headers.range) {
    res.writeHead(304, headers).end();
    return true;
  }

  let start = 0;
  let end = info.size - 1;
  let status = 200;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1]);
      if (range[2]) end = Math.min(Number(range[2]), info.size - 1);
    } else start = Math.max(0, info.size - Number(range[2])); // suffix: the last N bytes
    if (start >= info.size || start > end) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${info.size}` }).end();
      return true;
    }
    status = 206;
    headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
  }
  headers['content-length'] = String(Math.max(0, end - start + 1));
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return true;
  }
  createReadStream(path, { start, end }).pipe(res);
  return true;
}
