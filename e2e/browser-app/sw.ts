/** The test app's service worker: /v1/* answered by an engine worker in one of the app's pages. */
import { type ServiceWorkerScopeLike, serveCinder } from '../../packages/host-sw/src/index.ts';
import { SW_FLOOR_PATH, swFloorResponse } from './bench-timing.ts';

const scope = self as unknown as ServiceWorkerScopeLike;

// Tight watchdog so a closed tab is noticed fast in tests (the tiny fixtures answer pings within ms).
serveCinder(scope, {
  watchdog: { pingAfterMs: 250, pongTimeoutMs: 250 },
});

// The SW benchmark's floor: what Chromium's service-worker round trip costs when the answer is ready
// at once (no engine, no port). Outside /v1, so serveCinder never sees it.
scope.addEventListener('fetch', (event) => {
  const receivedAt = performance.timeOrigin + performance.now();
  if (new URL(event.request.url).pathname !== SW_FLOOR_PATH) return;
  event.respondWith(swFloorResponse(event.request, receivedAt));
});
