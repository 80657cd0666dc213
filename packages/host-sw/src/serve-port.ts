/**
 * The engine worker's end of an HTTP port: each request message becomes a real `Request` for the
 * handler; the `Response` goes back as a head message, then one message per body chunk as the handler
 * writes it, then an end message. A worker serves any number of ports (the service worker asks for a
 * fresh one after each restart and never says when it dropped the old one).
 */
import type { Handler } from '@cinder/handler';
import { ApiError } from '@cinder/protocol';
import type { PortRequest, ToCaller, ToServer } from './port-protocol.ts';

/** Serves `handler` on `port` until the returned function is called. */
export function serveHttpPort(port: MessagePort, handler: Handler): () => void {
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
    open.set(id, (reason) => {
      cancelled = true;
      reader.cancel(reason).catch(() => {});
    });
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done || cancelled) break;
        post({ type: 'cinder:chunk', id, chunk: value });
      }
      if (!cancelled) post({ type: 'cinder:end', id });
    } catch (cause) {
      if (!cancelled) post({ type: 'cinder:end', id, error: ApiError.from(cause).message });
    } finally {
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
