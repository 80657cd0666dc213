/**
 * Notices when the page that made a request is gone (tab closed, navigated away). Chromium tells a
 * service worker nothing then: a pending `respondWith` just waits, and the engine would finish a
 * non-streaming completion nobody will read. So while a request waits for its response head, the
 * service worker asks `clients.get(id)` every `everyMs`; once the body streams, Chromium cancels
 * it when the page goes away, and that cancel reaches the engine by itself.
 */
import type { ClientsLike } from './sw-types.ts';

/** Calls `onGone` once if client `id` disappears; returns a function that stops watching. */
export function watchClient(
  clients: ClientsLike,
  id: string,
  everyMs: number,
  onGone: () => void,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = async () => {
    const client = await clients.get(id).catch(() => undefined);
    if (stopped) return;
    if (!client) {
      stopped = true;
      onGone();
      return;
    }
    timer = setTimeout(check, everyMs);
  };
  timer = setTimeout(check, everyMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
