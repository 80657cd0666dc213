/**
 * A local static server that mimics the Hugging Face Hub's URL layout, so the real download code runs
 * in tests: `GET /{owner}/{repo}/resolve/main/{file}` serves `{root}/{repo}/{file}` (any owner), with
 * Range requests, ETag and Content-Length as the Hub sends them, CORS for pages on other origins, and
 * hooks to cut a download mid-file (for resume tests). Other paths can be served from `staticDir`.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';

export interface HubServerOptions {
  /** Directory whose subdirectories are model repos (e.g. the fixtures dir). */
  readonly modelsRoot: string;
  /** Optional directory of other static files (a built test app), served at `/`. */
  readonly staticDir?: string;
  /** Extra headers on every response (e.g. COOP/COEP). */
  readonly headers?: Record<string, string>;
}

export interface HubServer {
  readonly url: string;
  /** Requests seen, as `METHOD path [range]`, for assertions. */
  readonly log: string[];
  /** Cut the next download of `file` (any repo) after `bytes` bytes: the connection is destroyed. */
  cutAfter(file: string, bytes: number): void;
  /** While set, every model file request fails at the network level (simulates going offline). */
  setOffline(offline: boolean): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
};

const HUB_PATH = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/;

/** Bytes a GET with this Range header would send from a file of `size` bytes. */
function responseLength(range: string | undefined, size: number): number {
  const match = /^bytes=(\d+)-(\d*)$/.exec(range ?? '');
  if (!match) return size;
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
  return Math.max(0, end - start + 1);
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const log: string[] = [];
  const cuts = new Map<string, number>();
  let offline = false;
  const etags = new Map<string, string>();

  async function etagOf(path: string): Promise<string> {
    let etag = etags.get(path);
    if (!etag) {
      etag = `"${createHash('sha256')
        .update(await readFile(path))
        .digest('hex')}"`;
      etags.set(path, etag);
    }
    return etag;
  }

  async function serveFile(req: IncomingMessage, res: ServerResponse, path: string, cut?: number) {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const headers: Record<string, string> = {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'accept-ranges': 'bytes',
      etag: await etagOf(path),
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'content-length, content-range, etag, accept-ranges',
      ...options.headers,
    };
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = info.size - 1;
    let status = 200;
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1;
      if (start >= info.size) {
        res.writeHead(416, { 'content-range': `bytes */${info.size}`, ...headers }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
    }
    headers['content-length'] = String(end - start + 1);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    const stream = createReadStream(path, { start, end });
    if (cut === undefined) {
      stream.pipe(res);
      return;
    }
    let sent = 0;
    stream.on('data', (data: string | Buffer) => {
      const chunk = typeof data === 'string' ? Buffer.from(data) : data;
      const room = cut - sent;
      if (room <= 0) return;
      const part = chunk.subarray(0, room);
      sent += part.length;
      res.write(part);
      if (sent >= cut) {
        stream.destroy();
        res.destroy();
      }
    });
    stream.on('end', () => res.end());
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = decodeURIComponent(url.pathname);
      log.push(`${req.method} ${path}${req.headers.range ? ` ${req.headers.range}` : ''}`);
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-origin': '*',
          'access-control-allow-headers': 'range, content-type, authorization',
          'access-control-allow-methods': 'GET, HEAD, OPTIONS',
        });
        res.end();
        return;
      }
      const hub = HUB_PATH.exec(path);
      if (hub) {
        if (offline) {
          res.destroy();
          return;
        }
        const [, , repo, file] = hub;
        const root = resolve(options.modelsRoot);
        const target = normalize(join(root, repo, file));
        if (!target.startsWith(root + sep)) {
          res.writeHead(400).end();
          return;
        }
        // A cut applies to the first response longer than it (not to a small probe such as `bytes=0-0`).
        const cut = cuts.get(file);
        const size = (await stat(target).catch(() => null))?.size ?? 0;
        const span = responseLength(req.headers.range, size);
        const applies = cut !== undefined && span > cut;
        if (applies) cuts.delete(file);
        await serveFile(req, res, target, applies ? cut : undefined);
        return;
      }
      if (options.staticDir) {
        const root = resolve(options.staticDir);
        const target = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
        if (target.startsWith(root + sep) || target === root) {
          await serveFile(req, res, target);
          return;
        }
      }
      res.writeHead(404).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    cutAfter: (file, bytes) => cuts.set(file, bytes),
    setOffline: (value) => {
      offline = value;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
