/**
 * The service worker's offline copy of the app: at install it caches every file of the build (the
 * list is baked into sw.js by vite.config.ts, so a new build is a new service worker), and then:
 *   - page loads: network first, the cached index.html when the network fails or stalls;
 *   - files of the build: from the cache (their names carry content hashes);
 *   - local-models.json (the server's list of built-in models): network first, then the last copy.
 * Everything else (model downloads, `/v1`, other origins) is left alone.
 */
import type { ExtendableEventLike, FetchEventLike } from '@cinder/host-sw';

export interface ShellScope {
  readonly location: { readonly origin: string };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
}

export interface ShellOptions {
  /** Paths of the build's files, e.g. `/index.html`, `/assets/index-3f2a.js`. */
  readonly files: readonly string[];
  /** Changes with every build; names the cache. */
  readonly version: string;
}

const PREFIX = 'cinder-demo-shell-';
const NETWORK_TIMEOUT_MS = 4000;
const RUNTIME_CACHED = new Set(['/local-models.json']);

export function cacheAppShell(scope: ShellScope, options: ShellOptions): void {
  const cacheName = PREFIX + options.version;
  const files = new Set(options.files);

  scope.addEventListener('install', (event) => {
    event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll([...files])));
  });
  scope.addEventListener('activate', (event) => {
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(
            names
              .filter((name) => name.startsWith(PREFIX) && name !== cacheName)
              .map((name) => caches.delete(name)),
          ),
        ),
    );
  });
  scope.addEventListener('fetch', (event) => {
    const { request } = event;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== scope.location.origin) return;
    if (request.mode === 'navigate' && !url.pathname.startsWith('/v1')) {
      event.respondWith(networkFirst(cacheName, request, '/index.html'));
    } else if (RUNTIME_CACHED.has(url.pathname)) {
      event.respondWith(networkFirst(cacheName, request, url.pathname));
    } else if (files.has(url.pathname)) {
      event.respondWith(cacheFirst(cacheName, request, url.pathname));
    }
  });
}

async function cacheFirst(cacheName: string, request: Request, key: string): Promise<Response> {
  const cached = await caches.match(key, { cacheName });
  return cached ?? fetch(request);
}

/** The network's answer (a copy kept under `key` when it is `key` itself), else the cached `key`. */
async function networkFirst(cacheName: string, request: Request, key: string): Promise<Response> {
  try {
    const response = await fetch(request, { signal: AbortSignal.timeout(NETWORK_TIMEOUT_MS) });
    const path = new URL(request.url).pathname;
    if (response.ok && (path === key || (key === '/index.html' && path === '/'))) {
      const copy = response.clone();
      void caches.open(cacheName).then((cache) => cache.put(key, copy));
    }
    return response;
  } catch (cause) {
    const cached = await caches.match(key, { cacheName });
    if (cached) return cached;
    throw cause;
  }
}
