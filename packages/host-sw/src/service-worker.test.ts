/**
 * serveCinder's aborts before the response exists, which Chromium never signals on the FetchEvent:
 * a `cinder:abort` message naming the request (from registerCinder's fetch), and the page disappearing.
 * The service worker scope and its pages are stood in for (they cannot exist in Node); the channel to
 * the engine is a real MessageChannel with serveHttpPort on the other end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER } from './port-protocol.ts';
import { serveHttpPort } from './serve-port.ts';
import { serveCinder } from './service-worker.ts';
import type {
  ClientLike,
  ExtendableMessageEventLike,
  FetchEventLike,
  NeedPortReply,
  ServiceWorkerScopeLike,
} from './sw-types.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

/** A slow "completion": answers after `ms` unless its request is aborted first. */
function slowEngine(ms: number) {
  const seen = { started: 0, aborted: 0, finished: 0 };
  const handler = (request: Request) =>
    new Promise<Response>((resolve, reject) => {
      seen.started++;
      const timer = setTimeout(() => {
        seen.finished++;
        resolve(Response.json({ done: true }));
      }, ms);
      request.signal.addEventListener('abort', () => {
        seen.aborted++;
        clearTimeout(timer);
        reject(request.signal.reason);
      });
    });
  return { handler, seen };
}

function fakeServiceWorker(handler: (request: Request) => Promise<Response>) {
  const pages = new Map<string, ClientLike>();
  const listeners: Record<string, (event: never) => void> = {};
  const page = (id: string): ClientLike => ({
    id,
    postMessage(_message, transfer) {
      const { port1, port2 } = new MessageChannel();
      stops.push(serveHttpPort(port1, handler));
      (transfer[0] as MessagePort).postMessage({ type: 'cinder:port', port: port2 } satisfies NeedPortReply, [
        port2,
      ]);
    },
  });
  const scope: ServiceWorkerScopeLike = {
    location: { origin: 'https://app.test' },
    clients: {
      get: async (id) => pages.get(id),
      matchAll: async () => [...pages.values()],
      claim: async () => {},
    },
    skipWaiting: async () => {},
    addEventListener: (type: string, listener: (event: never) => void) => {
      listeners[type] = listener;
    },
  };
  serveCinder(scope, { clientCheckMs: 20 });
  return {
    open: (id: string) => pages.set(id, page(id)),
    close: (id: string) => pages.delete(id),
    fetch(clientId: string, init: RequestInit = {}): Promise<Response> {
      let answer: Promise<Response> | undefined;
      const event = {
        request: new Request('https://app.test/v1/chat/completions', { method: 'POST', body: '{}', ...init }),
        clientId,
        resultingClientId: '',
        respondWith: (response: Promise<Response>) => {
          answer = response;
        },
      } as unknown as FetchEventLike;
      (listeners.fetch as (event: FetchEventLike) => void)(event);
      if (!answer) throw new Error('the service worker did not respond');
      return answer;
    },
    message(data: unknown) {
      const event = { data, waitUntil: () => {} } as unknown as ExtendableMessageEventLike;
      (listeners.message as (event: ExtendableMessageEventLike) => void)(event);
    },
  };
}

describe('serveCinder: aborts before the response', () => {
  it('a cinder:abort message for a tagged request aborts it in the engine', async () => {
    const { handler, seen } = slowEngine(5_000);
    const sw = fakeServiceWorker(handler);
    sw.open('p1');
    const response = sw.fetch('p1', { headers: { [REQUEST_ID_HEADER]: 'r1' } });
    await expect.poll(() => seen.started).toBe(1);
    sw.message({ type: 'cinder:abort', requestId: 'r1' });
    expect((await response).status).toBe(499);
    await expect.poll(() => seen.aborted).toBe(1);
    expect(seen.finished).toBe(0);
  });

  it('an abort that arrives before its request still aborts it', async () => {
    const { handler, seen } = slowEngine(5_000);
    const sw = fakeServiceWorker(handler);
    sw.open('p1');
    sw.message({ type: 'cinder:abort', requestId: 'early' });
    const response = await sw.fetch('p1', { headers: { [REQUEST_ID_HEADER]: 'early' } });
    expect(response.status).toBe(499);
    expect(seen.finished).toBe(0);
  });

  it('aborts for other ids leave a request alone, and the id header does not reach the engine', async () => {
    const sw = fakeServiceWorker(async (request) =>
      Response.json({ tag: request.headers.get(REQUEST_ID_HEADER) }),
    );
    sw.open('p1');
    sw.message({ type: 'cinder:abort', requestId: 'other' });
    const response = await sw.fetch('p1', { headers: { [REQUEST_ID_HEADER]: 'mine' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tag: null });
  });

  it('when the page that asked is gone, its request is aborted in the engine', async () => {
    const { handler, seen } = slowEngine(5_000);
    const sw = fakeServiceWorker(handler);
    sw.open('p1');
    const response = sw.fetch('p1');
    await expect.poll(() => seen.started).toBe(1);
    await sleep(60); // a few checks while the page is still there
    expect(seen.aborted).toBe(0);
    sw.close('p1');
    expect((await response).status).toBe(499);
    await expect.poll(() => seen.aborted).toBe(1);
    expect(seen.finished).toBe(0);
  });
});
