/** The test app's service worker: /v1/* answered by an engine worker in one of the app's pages. */
import { type ServiceWorkerScopeLike, serveCinder } from '../../packages/host-sw/src/index.ts';

// Tight watchdog so a closed tab is noticed fast in tests (the tiny fixtures answer pings within ms).
serveCinder(self as unknown as ServiceWorkerScopeLike, {
  watchdog: { pingAfterMs: 250, pongTimeoutMs: 250 },
});
