/**
 * The service worker itself: answers `fetch` to `${basePath}/*` on its own origin from an engine worker
 * that lives in one of its pages, with real HTTP semantics (status, headers, SSE streamed chunk by chunk).
 *
 *   // sw.ts
 *   import { serveCinder } from '@cinder/host-sw';
 *   serveCinder(self);
 *
 * Everything else goes to the network untouched. Aborts: Chromium never fires `request.signal` in a
 * service worker; a page's abort arrives as `cancel()` on the body we responded with, which crosses to
 * the worker and stops generation. An abort before the response exists (a non-streaming request still
 * generating) cannot be seen here; it runs to its end.
 */
import { ApiError } from '@cinder/protocol';
import { EnginePorts, type EnginePortsOptions } from './engine-ports.ts';
import { PortDeadError } from './port-connection.ts';
import { requestPayload } from './port-protocol.ts';
import type { ServiceWorkerScopeLike } from './sw-types.ts';

export interface ServeCinderOptions extends EnginePortsOptions {
  /** Path prefix of the API. Default `/v1`. */
  readonly basePath?: string;
  /** Take control of open pages at once (`skipWaiting` + `clients.claim`). Default true. */
  readonly claim?: boolean;
}

/** Most engines one request is tried on when the ones before died under it. */
const MAX_ATTEMPTS = 4;

export function serveCinder(scope: ServiceWorkerScopeLike, options: ServeCinderOptions = {}): void {
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const ports = new EnginePorts(scope.clients, options);

  if (options.claim !== false) {
    scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));
    scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));
    // A page that loaded uncontrolled (e.g. a hard reload) asks to be claimed (see registerCinder).
    scope.addEventListener('message', (event) => {
      const data = event.data as { type?: unknown } | null;
      if (data?.type === 'cinder:claim') event.waitUntil(scope.clients.claim());
    });
  }

  scope.addEventListener('fetch', (event) => {
    const url = new URL(event.request.url);
    if (url.origin !== scope.location.origin) return;
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return;
    event.respondWith(answerFromEngine(event.request, event.clientId || event.resultingClientId, ports));
  });
}

/** Forwards one request to an engine, failing over to another when the engine dies before answering. */
export async function answerFromEngine(
  request: Request,
  clientId: string,
  ports: EnginePorts,
): Promise<Response> {
  const payload = await requestPayload(request);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const connection = await ports.get(clientId);
    if (!connection) break;
    try {
      return await connection.fetch(payload);
    } catch (cause) {
      if (!(cause instanceof PortDeadError)) return errorJson(ApiError.from(cause));
    }
  }
  return errorJson(
    new ApiError(
      503,
      'No cinder engine is available: no open page of this app has one running or could start one.',
      { code: 'engine_unavailable' },
    ),
    // The openai SDK would retry a 503 twice; asking every page again that soon will not help.
    { 'x-should-retry': 'false' },
  );
}

function errorJson(error: ApiError, headers: Record<string, string> = {}): Response {
  return Response.json(error.toJSON(), { status: error.status, headers });
}
