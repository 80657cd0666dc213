/**
 * Node adapter: serves a web-standard handler over node:http. Client disconnects abort the
 * Request's signal and cancel the response body, so generation stops at once.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface NodeServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export interface ServeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default 127.0.0.1: the engine answers this machine only. */
  readonly host?: string;
}

export async function serveNode(handler: FetchHandler, options: ServeOptions): Promise<NodeServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    void answer(handler, req, res, host);
  });
  // Longer than clients' idle-socket reuse windows (undici: 4 s, browsers: ~60 s), so a client never
  // sends on a socket the server is closing at that moment (ECONNRESET).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await listen(server, options.port, host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The same adapter as a plain node:http listener, to mount the handler inside another server. */
export function toNodeListener(
  handler: FetchHandler,
  host = '127.0.0.1',
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void answer(handler, req, res, host);
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

async function answer(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, host: string) {
  const aborter = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort(new DOMException('The client went away.', 'AbortError'));
  });
  let response: Response;
  try {
    response = await handler(toRequest(req, host, aborter.signal));
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    response = Response.json(
      {
        error: {
          message: `Internal error: ${message}`,
          type: 'server_error',
          param: null,
          code: 'internal_error',
        },
      },
      { status: 500 },
    );
  }
  await writeResponse(response, res, aborter.signal);
}

function toRequest(req: IncomingMessage, host: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? host}`), {
    method,
    headers,
    signal,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // Required by Node's fetch for streamed request bodies.
    duplex: 'half',
  } as RequestInit);
}

async function writeResponse(response: Response, res: ServerResponse, signal: AbortSignal) {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve));
      if (signal.aborted) break;
    }
  } catch {
    // The body errored or was cancelled because the client left: nothing more to send.
  } finally {
    signal.removeEventListener('abort', stop);
    res.end();
  }
}
