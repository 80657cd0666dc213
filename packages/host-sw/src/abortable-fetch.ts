/**
 * The page's `fetch` for a service-worker-served API, with aborts that reach the engine at any time.
 * Chromium does not tell a service worker that a page aborted a request whose response does not exist
 * yet (see service-worker.ts), so a non-streaming completion would generate to its end. This fetch
 * tags each request with an id header and, when its signal fires before the response, posts
 * `cinder:abort` with that id to the controlling service worker, which stops the work.
 *
 *   const cinder = await registerCinder({ engine, serviceWorkerUrl: '/sw.js' });
 *   const client = new OpenAI({ baseURL: `${location.origin}/v1`, apiKey: 'none',
 *                               dangerouslyAllowBrowser: true, fetch: cinder.fetch });
 */
import type { FetchFunction } from './create-fetch.ts';
import { REQUEST_ID_HEADER } from './port-protocol.ts';
import type { AbortRequestMessage } from './request-aborts.ts';

export function createAbortableFetch(container: ServiceWorkerContainer): FetchFunction {
  let nextId = 0;
  const prefix = Math.random().toString(36).slice(2);
  return async (input, init) => {
    const request = new Request(input, init);
    const { signal } = request;
    if (signal.aborted) return fetch(request); // rejects with the reason, nothing reached the engine
    const requestId = `${prefix}-${nextId++}`;
    request.headers.set(REQUEST_ID_HEADER, requestId);
    // The worker that gets the fetch event, read now: the controller may change before an abort.
    const worker = container.controller;
    const onAbort = () => {
      const message: AbortRequestMessage = { type: 'cinder:abort', requestId };
      worker?.postMessage(message);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await fetch(request);
    } finally {
      // From here an abort cancels the response body, which the service worker does see.
      signal.removeEventListener('abort', onAbort);
    }
  };
}
