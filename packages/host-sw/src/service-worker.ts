/**
 * The service worker itself: answers `fetch` to `${basePath}/*` on its own origin from an engine worker
 * that lives in one of its pages, with real HTTP semantics (status, headers, SSE streamed chunk by chunk).
 *
 *   // sw.ts
 *   import { serveCinder } from '@cinder/host-sw';
 *   serveCinder(self);
 *
 * Everything else goes to the network untouched.
 *
 * Aborts. Chromium never fires a FetchEvent's `request.signal`. Once the response exists, a page's
 * abort arrives as `cancel()` on the body we responded with, which crosses to the engine worker and
 * stops generation. Before that (a non-streaming completion still generating), the service worker
 * learns of an abort in two ways: a page using `registerCinder(...).fetch` posts `cinder:abort` for the
 * request (request-aborts.ts), and a page that is gone is noticed by polling (watch-client.ts). A plain
 * `fetch` aborted while its page stays open cannot be seen: that request runs to its end.
 */
import { ApiError } from '@cinder/protocol';
import { EnginePorts, type EnginePortsOptions } from './engine-ports.ts';
import { PortDeadError } from './port-connection.ts';
import { REQUEST_ID_HEADER, requestPayload } from './port-protocol.ts';
import { isAbortRequestMessage, RequestAborts } from './request-aborts.ts';
import type { ServiceWorkerScopeLike } from './sw-types.ts';
import { watchClient } from './watch-client.ts';

export interface ServeCinderOptions extends EnginePortsOptions {
  /** Path prefix of the API. Default `/v1`. */
  readonly basePath?: string;
  /** Take control of open pages at once (`skipWaiting` + `clients.claim`). Default true. */
  readonly claim?: boolean;
  /** While a request waits for its response, check this often that its page still exists (ms). Default 500. */
  readonly clientCheckMs?: number;
}

/** Most engines one request is tried on when the ones before died under it. */
const MAX_ATTEMPTS = 4;

export function serveCinder(scope: ServiceWorkerScopeLike, options: ServeCinderOptions = {}): void {
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const clientCheckMs = options.clientCheckMs ?? 500;
  const ports = new EnginePorts(scope.clients, options);
  const aborts = new RequestAborts();

  if (options.claim !== false) {
    scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));
    scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));
  }
  scope.addEventListener('message', (event) => {
    const data = event.data as { type?: unknown } | null;
    if (isAbortRequestMessage(data)) aborts.abort(data.requestId);
    // A page that loaded uncontrolled (e.g. a hard reload) asks to be claimed (see registerCinder).
    else if (data?.type === 'cinder:claim' && options.claim !== false) event.waitUntil(scope.clients.claim());
  });

  /** `asker`: the page that made the request ('' for a navigation, whose page does not exist yet). */
  async function answer(request: Request, asker: string, enginePage: string): Promise<Response> {
    const controller = new AbortController();
    const requestId = request.headers.get(REQUEST_ID_HEADER);
    const untrack = requestId ? aborts.track(requestId, controller) : undefined;
    const unwatch = asker
      ? watchClient(scope.clients, asker, clientCheckMs, () =>
          controller.abort(new DOMException('The page that made this request is gone.', 'AbortError')),
        )
      : undefined;
    try {
      return await answerFromEngine(request, enginePage, ports, controller.signal);
    } finally {
      untrack?.();
      unwatch?.();
    }
  }

  scope.addEventListener('fetch', (event) => {
    const url = new URL(event.request.url);
    if (url.origin !== scope.location.origin) return;
    if (url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) return;
    event.respondWith(answer(event.request, event.clientId, event.clientId || event.resultingClientId));
  });
}

/**
 * Forwards one request to an engine, failing over to another when the engine dies before answering.
 * `signal` aborting before the response stops the engine's work on it (the response is then a 499
 * nobody reads); after, it cancels the body.
 */
export async function answerFromEngine(
  request: Request,
  clientId: string,
  ports: EnginePorts,
  signal?: AbortSignal,
): Promise<Response> {
  // Find the engine while the body is read: for the first request of a fresh service worker that
  // means asking pages, and nothing here needs the body before the port exists.
  const [payload, first] = await Promise.all([requestPayload(request), ports.get(clientId)]);
  let connection = first;
  for (let attempt = 1; connection; attempt++) {
    try {
      return await connection.fetch(payload, signal);
    } catch (cause) {
      if (signal?.aborted) return aborted();
      if (!(cause instanceof PortDeadError)) return errorJson(ApiError.from(cause));
    }
    if (attempt >= MAX_ATTEMPTS) break;
    connection = await ports.get(clientId);
  }
  if (signal?.aborted) return aborted();
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

function aborted(): Response {
  return errorJson(
    new ApiError(499, 'The request was aborted by its page.', { code: 'client_closed_request' }),
  );
}

function errorJson(error: ApiError, headers: Record<string, string> = {}): Response {
  return Response.json(error.toJSON(), { status: error.status, headers });
}
