/**
 * HTTP over a MessagePort: how a service worker (or `createFetch`) asks the engine worker for a Response.
 * The worker answers with the same `(Request) => Promise<Response>` handler the Node server uses.
 *
 *   caller -> server  {type: 'cinder:request', id, method, url, headers, body}
 *   server -> caller  {type: 'cinder:response', id, status, statusText, headers, hasBody}
 *   server -> caller  {type: 'cinder:chunk', id, chunk}  body bytes, as the handler writes them (fast ones joined)
 *   server -> caller  {type: 'cinder:end', id, error?}   the body is complete (or failed)
 *   caller -> server  {type: 'cinder:cancel', id}        the caller is gone: abort the request / cancel its body
 *   caller -> server  {type: 'cinder:ping', id}  ->  {type: 'cinder:pong', id}
 *
 * Body chunks are plain port messages (Uint8Array): one message per SSE event (or a few when they come
 * within milliseconds, see serve-port.ts), no
 * backpressure round trips (a transferred ReadableStream would add a pull message per chunk). There is
 * no 'close' event on a MessagePort, so the caller pings a silent port to learn whether the worker behind
 * it is still alive (see port-connection.ts).
 */

export interface PortRequest {
  readonly type: 'cinder:request';
  readonly id: number;
  readonly method: string;
  readonly url: string;
  readonly headers: [string, string][];
  /** Null for GET and HEAD. */
  readonly body: ArrayBuffer | null;
}

export interface PortResponse {
  readonly type: 'cinder:response';
  readonly id: number;
  readonly status: number;
  readonly statusText: string;
  readonly headers: [string, string][];
  /** False for a null body (then no chunk or end message follows). */
  readonly hasBody: boolean;
}

export interface PortChunk {
  readonly type: 'cinder:chunk';
  readonly id: number;
  readonly chunk: Uint8Array;
}

export interface PortEnd {
  readonly type: 'cinder:end';
  readonly id: number;
  /** Set when the body failed part way. */
  readonly error?: string;
}

export interface PortCancel {
  readonly type: 'cinder:cancel';
  readonly id: number;
}

export interface PortPing {
  readonly type: 'cinder:ping';
  readonly id: number;
}

export interface PortPong {
  readonly type: 'cinder:pong';
  readonly id: number;
}

export type ToServer = PortRequest | PortCancel | PortPing;
export type ToCaller = PortResponse | PortChunk | PortEnd | PortPong;

/** The parts of a Request that cross the port (the body read once, so a request can be retried elsewhere). */
export interface RequestPayload {
  readonly method: string;
  readonly url: string;
  readonly headers: [string, string][];
  readonly body: ArrayBuffer | null;
}

/**
 * The id `registerCinder(...).fetch` tags each request with, so that its page can abort it by name
 * (request-aborts.ts). Read by the service worker only: it never crosses to the engine.
 */
export const REQUEST_ID_HEADER = 'x-cinder-request-id';

export async function requestPayload(request: Request): Promise<RequestPayload> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return {
    method: request.method,
    url: request.url,
    headers: [...request.headers].filter(([name]) => name !== REQUEST_ID_HEADER),
    body: hasBody ? await request.arrayBuffer() : null,
  };
}
