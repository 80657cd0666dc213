/**
 * The engine worker's end of an HTTP port: each request message becomes a real `Request` for the
 * handler; the `Response` goes back as a head message, then the body chunks as the handler writes
 * them, then an end message. A worker serves any number of ports (the service worker asks for a
 * fresh one after each restart and never says when it dropped the old one).
 *
 * Chunks that come fast (a small model streams a token every millisecond) travel together: a chunk
 * within `coalesceMs` of the previous message waits until that much time has passed, and chunks
 * written meanwhile join it. Each message wakes the service worker's thread and the page's, which on
 * a machine with few cores compete with the engine. Slower streams, and the first two chunks of a
 * body (an SSE stream's role chunk and its first token), go at once.
 */
import type { Handler } from '@cinder/handler';
import { ApiError } from '@cinder/protocol';
import type { PortRequest, ToCaller, ToServer } from './port-protocol.ts';

export interface ServeHttpPortOptions {
  /** Body chunks this soon (ms) after the previous message wait and travel together. Default 8; 0: never. */
  readonly coalesceMs?: number;
}

/** Serves `handler` on `port` until the returned function is called. */
export function serveHttpPort(
  port: MessagePort,
  handler: Handler,
  options: ServeHttpPortOptions = {},
): () => void {
  const coalesceMs = options.coalesceMs ?? 8;
  /** Per open request: aborts it before the response, cancels its body after. */
  const open = new Map<number, (reason: unknown) => void>();
  const post = (message: ToCaller) => port.postMessage(message);

  async function answer(message: PortRequest): Promise<void> {
    const { id } = message;
    const controller = new AbortController();
    open.set(id, (reason) => controller.abort(reason));
    let response: Response;
    try {
      const request = new Request(message.url, {
        method: message.method,
        headers: message.headers,
        body: message.body,
        signal: controller.signal,
      });
      response = await handler(request);
    } catch (cause) {
      response = Response.json(ApiError.from(cause).toJSON(), { status: 500 });
    }
    if (controller.signal.aborted) {
      open.delete(id);
      await response.body?.cancel();
      return;
    }
    const reader = response.body?.getReader() ?? null;
    post({
      type: 'cinder:response',
      id,
      status: response.status,
      statusText: response.statusText,
      headers: [...response.headers],
      hasBody: reader !== null,
    });
    if (!reader) {
      open.delete(id);
      return;
    }
    let cancelled = false;
    let pending: Uint8Array[] = [];
    let sent = 0;
    let lastSent = Number.NEGATIVE_INFINITY;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (pending.length === 0 || cancelled) return;
      post({ type: 'cinder:chunk', id, chunk: pending.length === 1 ? pending[0] : concat(pending) });
      pending = [];
      sent++;
      lastSent = performance.now();
    };
    open.set(id, (reason) => {
      cancelled = true;
      clearTimeout(timer);
      reader.cancel(reason).catch(() => {});
    });
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done || cancelled) break;
        pending.push(value);
        const wait = lastSent + coalesceMs - performance.now();
        if (sent < 2 || wait <= 0) flush();
        else timer ??= setTimeout(flush, wait);
      }
      flush();
      if (!cancelled) post({ type: 'cinder:end', id });
    } catch (cause) {
      flush();
      if (!cancelled) post({ type: 'cinder:end', id, error: ApiError.from(cause).message });
    } finally {
      clearTimeout(timer);
      open.delete(id);
    }
  }

  const onMessage = (event: MessageEvent<ToServer>) => {
    const message = event.data;
    switch (message?.type) {
      case 'cinder:request':
        void answer(message);
        return;
      case 'cinder:cancel':
        open.get(message.id)?.(new DOMException('The caller went away.', 'AbortError'));
        return;
      case 'cinder:ping':
        post({ type: 'cinder:pong', id: message.id });
        return;
    }
  };
  port.addEventListener('message', onMessage);
  port.start();
  return () => {
    port.removeEventListener('message', onMessage);
    for (const stop of open.values()) stop(new DOMException('The port was closed.', 'AbortError'));
    port.close();
  };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}
