/**
 * The few service-worker globals host-sw uses, typed here because the workspace compiles against the
 * DOM lib (lib.webworker's ServiceWorkerGlobalScope conflicts with it). The real objects fit these.
 */

export interface ClientLike {
  readonly id: string;
  postMessage(message: unknown, transfer: Transferable[]): void;
}

export interface ClientsLike {
  get(id: string): Promise<ClientLike | undefined>;
  matchAll(options?: { type?: 'window' | 'worker' | 'sharedworker' | 'all' }): Promise<readonly ClientLike[]>;
  claim(): Promise<void>;
}

export interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

export interface ExtendableMessageEventLike extends ExtendableEventLike {
  readonly data: unknown;
}

export interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  /** The page that made the request ('' for navigations). */
  readonly clientId: string;
  /** The page a navigation will create. */
  readonly resultingClientId: string;
  respondWith(response: Response | Promise<Response>): void;
}

export interface ServiceWorkerScopeLike {
  readonly location: { readonly origin: string };
  readonly clients: ClientsLike;
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: ExtendableMessageEventLike) => void): void;
}

/** SW -> page: "give me a port to your engine worker". The reply goes to `event.ports[0]`. */
export interface NeedPortMessage {
  readonly type: 'cinder:need-port';
  /** Start an engine if the page has none yet (asked only when no other page has one). */
  readonly start: boolean;
}

export type NeedPortReply =
  | { readonly type: 'cinder:port'; readonly port: MessagePort }
  | { readonly type: 'cinder:no-engine' };
