/**
 * Serves the demo chat app on 127.0.0.1: the built app (apps/demo/dist), the list of built-in models
 * (`/local-models.json`), and those models' files in the Hugging Face Hub's URL layout
 * (`/local/<id>/resolve/main/<file>`, with ranges and SHA-256 ETags), so the browser's model store
 * downloads them exactly as it downloads from the Hub. A GGUF-only model directory is listed with its
 * file (`gguf`), as the app's catalog wants it (local-models.ts). The app itself answers `/v1` in the browser;
 * this server never runs a model.
 *
 *   const server = await serveDemo({ port: 8080, modelsDir: 'models' });
 *   console.log(server.url);
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLocalModels, type LocalModel } from './local-models.ts';
import { sendFile } from './send-file.ts';

export interface ServeDemoOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Directory of models in Hugging Face layout, one subdirectory each. */
  readonly modelsDir: string;
  /** The built app. Default: apps/demo/dist of this repository. */
  readonly distDir?: string;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** The model the app starts with (a subdirectory name). Default: the first one. */
  readonly defaultModel?: string;
  /**
   * Answers `/v1/*` requests that reach the server: clients without our service worker (curl, the
   * openai SDK in Node, a first page load before the worker controls it). Pages with the worker never get here.
   */
  readonly api?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface DemoServer {
  readonly url: string;
  readonly models: readonly LocalModel[];
  close(): Promise<void>;
}

export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../demo/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.jinja': 'text/plain; charset=utf-8',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // Cross-origin isolation (SharedArrayBuffer), so wllama runs multithreaded; docs/wllama.md.
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** The HTML's own Content-Security-Policy (a meta tag) plus what only a header can say. */
const HTML_HEADERS = { 'content-security-policy': "frame-ancestors 'none'", 'cache-control': 'no-cache' };

const HUB_PATH = /^\/([^/]+)\/([^/]+)\/resolve\/[^/]+\/(.+)$/;

export async function serveDemo(options: ServeDemoOptions): Promise<DemoServer> {
  const distDir = resolve(options.distDir ?? DEFAULT_DIST_DIR);
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(
      `The demo app is not built (no ${join(distDir, 'index.html')}): run pnpm --filter @cinder/demo build`,
    );
  }
  const modelsDir = resolve(options.modelsDir);
  let models = await findLocalModels(modelsDir, options.defaultModel);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (options.api && (pathname === '/v1' || pathname.startsWith('/v1/'))) {
      options.api(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);

    if (path === '/local-models.json') {
      models = await findLocalModels(modelsDir, options.defaultModel);
      const body = JSON.stringify({
        models: models.map(({ id, repo, bytes, default: isDefault, gguf }) => ({
          id,
          repo,
          bytes,
          default: isDefault,
          ...(gguf ? { gguf } : {}),
        })),
      });
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'no-cache',
        ...SECURITY_HEADERS,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }

    const hub = HUB_PATH.exec(path);
    if (hub) {
      const model = models.find((item) => item.id === hub[2]);
      const file = model && inside(model.dir, hub[3]);
      const sent =
        file &&
        (await sendFile(req, res, file, TYPES[extname(file)] ?? 'application/octet-stream', {
          sha256Etag: true,
          headers: { 'cache-control': 'no-cache', 'access-control-allow-origin': '*', ...SECURITY_HEADERS },
        }));
      if (!sent) notFound(res, 'Entry not found');
      return;
    }

    const relative = path.endsWith('/') ? `${path}index.html` : path;
    let file = inside(distDir, relative.slice(1));
    if (file && !extname(file)) file = join(distDir, 'index.html'); // app routes
    const type = file ? (TYPES[extname(file)] ?? 'application/octet-stream') : '';
    const caching = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    const headers = {
      'cache-control': caching,
      ...SECURITY_HEADERS,
      ...(type.startsWith('text/html') ? HTML_HEADERS : {}),
    };
    if (!file || !(await sendFile(req, res, file, type, { headers }))) notFound(res, 'Not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(options.port, options.host ?? '127.0.0.1', listening);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address}:${port}`,
    get models() {
      return models;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** `root/relative` when it stays inside `root`, else null. */
function inside(root: string, relative: string): string | null {
  const target = normalize(join(root, relative));
  return target.startsWith(root + sep) ? target : null;
}

function notFound(res: ServerResponse, message: string): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS }).end(message);
}
