/**
 * HTTP over a real MessageChannel: serveHttpPort on one end, PortConnection / createFetch on the other.
 * The handlers here are small web-standard functions (the engine's handler is exercised end to end in
 * e2e/browser); what is under test is the channel: statuses, headers, bodies, streaming, cancel, death.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFetch } from './create-fetch.ts';
import { PortConnection, PortDeadError } from './port-connection.ts';
import { requestPayload } from './port-protocol.ts';
import { type ServeHttpPortOptions, serveHttpPort } from './serve-port.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const encoder = new TextEncoder();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

type Handler = (request: Request) => Promise<Response>;

function serve(handler: Handler, options?: ServeHttpPortOptions): { port: MessagePort; stop: () => void } {
  const { port1, port2 } = new MessageChannel();
  const stop = serveHttpPort(port1, handler, options);
  cleanups.push(stop, () => port2.close());
  return { port: port2, stop };
}

/** An SSE body that sends `data: i` every `everyMs` until cancelled; records what happened. */
function tickingHandler(everyMs: number) {
  const seen = { cancelled: false, sent: 0, aborted: false };
  const handler: Handler = async (request) => {
    request.signal.addEventListener('abort', () => {
      seen.aborted = true;
    });
    let timer: ReturnType<typeof setInterval>;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        timer = setInterval(() => controller.enqueue(encoder.encode(`data: ${seen.sent++}\n\n`)), everyMs);
      },
      cancel() {
        seen.cancelled = true;
        clearInterval(timer);
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
  return { handler, seen };
}

describe('serveHttpPort + PortConnection', () => {
  it('joins chunks that come within coalesceMs (after the first two), in order, and not with 0', async () => {
    const events = Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`);
    const burst: Handler = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const event of events) controller.enqueue(encoder.encode(event));
            controller.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    for (const coalesceMs of [4, 0]) {
      const { port } = serve(burst, { coalesceMs });
      let messages = 0;
      port.addEventListener('message', (event: MessageEvent<{ type: string }>) => {
        if (event.data.type === 'cinder:chunk') messages++;
      });
      const connection = new PortConnection(port);
      const response = await connection.fetch(await requestPayload(new Request('http://app.test/v1/x')));
      expect(await response.text()).toBe(events.join(''));
      if (coalesceMs === 0) expect(messages).toBe(50);
      else expect(messages).toBeLessThan(10); // 3 unless the machine stalls for 4 ms mid-burst
    }
  });

  it('carries method, url, headers and body there, and status, headers and body back', async () => {
    const { port } = serve(async (request) =>
      Response.json(
        {
          method: request.method,
          path: new URL(request.url).pathname,
          auth: request.headers.get('authorization'),
          body: await request.json(),
        },
        { status: 201, headers: { 'x-extra': 'yes' } },
      ),
    );
    const connection = new PortConnection(port);
    const request = new Request('http://app.test/v1/echo', {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    const response = await connection.fetch(await requestPayload(request));
    expect(response.status).toBe(201);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(await response.json()).toEqual({
      method: 'POST',
      path: '/v1/echo',
      auth: 'Bearer k',
      body: { a: 1 },
    });
  });

  it('streams the body as it is written, not at the end', async () => {
    const { handler } = tickingHandler(20);
    const connection = new PortConnection(serve(handler).port);
    const started = Date.now();
    const response = await connection.fetch(await requestPayload(new Request('http://app.test/v1/s')));
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: 0\n\n');
    expect(Date.now() - started).toBeLessThan(500);
    await reader.cancel();
  });

  it("cancelling the caller's body cancels the handler's body", async () => {
    const { handler, seen } = tickingHandler(5);
    const connection = new PortConnection(serve(handler).port);
    const response = await connection.fetch(await requestPayload(new Request('http://app.test/v1/s')));
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await sleep(30);
    expect(seen.cancelled).toBe(true);
  });

  it('an abort before the response aborts the handler request', async () => {
    let aborted = false;
    const { port } = serve(
      (request) =>
        new Promise((resolve) =>
          request.signal.addEventListener('abort', () => {
            aborted = true;
            resolve(new Response('late'));
          }),
        ),
    );
    const connection = new PortConnection(port);
    const controller = new AbortController();
    const pending = connection.fetch(
      await requestPayload(new Request('http://app.test/v1/x')),
      controller.signal,
    );
    await sleep(20);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await sleep(20);
    expect(aborted).toBe(true);
  });

  it('a port nobody answers is declared dead: the request rejects with PortDeadError', async () => {
    const { port1, port2 } = new MessageChannel();
    cleanups.push(() => port2.close());
    const connection = new PortConnection(port1, { pingAfterMs: 40, pongTimeoutMs: 40 });
    const started = Date.now();
    await expect(
      connection.fetch(await requestPayload(new Request('http://app.test/v1/x'))),
    ).rejects.toBeInstanceOf(PortDeadError);
    expect(Date.now() - started).toBeLessThan(500);
    expect(connection.dead).toBe(true);
  });

  it('a slow handler on a live port is not declared dead (pongs keep coming)', async () => {
    const { port } = serve(async () => {
      await sleep(300);
      return new Response('done');
    });
    const connection = new PortConnection(port, { pingAfterMs: 30, pongTimeoutMs: 30 });
    const response = await connection.fetch(await requestPayload(new Request('http://app.test/v1/x')));
    expect(await response.text()).toBe('done');
  });

  it('when the port dies mid-stream, an event stream ends with an error event and [DONE]', async () => {
    // The handler sends one event, then goes silent; then the server side stops answering pings.
    const { port, stop } = serve(async () => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('data: {"x":1}\n\n'));
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    });
    const connection = new PortConnection(port, { pingAfterMs: 40, pongTimeoutMs: 40 });
    const response = await connection.fetch(await requestPayload(new Request('http://app.test/v1/s')));
    stop();
    const text = await response.text();
    expect(text).toMatch(
      /^data: \{"x":1\}\n\ndata: \{"error":\{.*"code":"engine_gone"\}\}\n\ndata: \[DONE\]\n\n$/,
    );
  });
});

describe('createFetch', () => {
  it('is a fetch over the port: JSON, statuses and abort', async () => {
    const { port } = serve(async (request) =>
      new URL(request.url).pathname === '/v1/models'
        ? Response.json({ object: 'list', data: [] })
        : Response.json(
            { error: { message: 'nope', type: 'not_found_error', param: null, code: null } },
            { status: 404 },
          ),
    );
    const fetchFn = createFetch(port);
    expect(await (await fetchFn('http://app.test/v1/models')).json()).toEqual({ object: 'list', data: [] });
    expect((await fetchFn('http://app.test/v1/other')).status).toBe(404);
  });

  it('with a port source, a dead port is replaced and the request retried once', async () => {
    let served = 0;
    const { port1: dead, port2: deadOther } = new MessageChannel();
    cleanups.push(() => deadOther.close());
    const ports = [dead];
    const source = {
      async connectHttp() {
        const next = ports.shift();
        if (next) return next;
        return serve(async () => new Response(`served ${++served}`)).port;
      },
    };
    const fetchFn = createFetch(source, { pingAfterMs: 30, pongTimeoutMs: 30 });
    expect(await (await fetchFn('http://app.test/v1/x')).text()).toBe('served 1');
  });
});
