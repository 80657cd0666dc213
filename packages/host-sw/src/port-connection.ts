/**
 * The caller's end of an HTTP port (port-protocol.ts): sends requests, turns the worker's messages into
 * `Response`s whose bodies stream as chunks arrive, and watches the port while anything is open.
 *
 * A MessagePort whose other side is gone (its tab closed, so its worker died) says nothing: requests
 * and streams on it just hang. So while a request or a body is open and the port has been silent for
 * `pingAfterMs`, the connection pings; no pong within `pongTimeoutMs` and the port is dead. Then waiting
 * requests reject with `PortDeadError` (safe to retry elsewhere: nothing was answered), and open bodies
 * end: an event stream with an OpenAI error event and `[DONE]`, anything else with an error.
 */
import { ApiError, encodeSseError, SSE_DONE } from '@cinder/protocol';
import type { PortResponse, RequestPayload, ToCaller, ToServer } from './port-protocol.ts';

export interface WatchdogOptions {
  /** Ping after this long without any message while work is open (ms). Default 500. */
  readonly pingAfterMs?: number;
  /** The port is dead when a ping gets no pong within this (ms). Default 1000. */
  readonly pongTimeoutMs?: number;
}

export class PortDeadError extends Error {
  override readonly name = 'PortDeadError';
  constructor() {
    super('The engine behind this port stopped answering (its page was closed?).');
  }
}

interface Waiting {
  readonly signal: AbortSignal | undefined;
  resolve(response: Response): void;
  reject(cause: unknown): void;
}

interface OpenBody {
  readonly controller: ReadableStreamDefaultController<Uint8Array>;
  readonly sse: boolean;
}

export class PortConnection {
  dead = false;
  private nextId = 1;
  private readonly waiting = new Map<number, Waiting>();
  private readonly bodies = new Map<number, OpenBody>();
  private readonly deathListeners = new Set<() => void>();
  private lastHeard = Date.now();
  private ping: { id: number; deadline: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly pingAfterMs: number;
  private readonly pongTimeoutMs: number;

  constructor(
    readonly port: MessagePort,
    options: WatchdogOptions = {},
  ) {
    this.pingAfterMs = options.pingAfterMs ?? 500;
    this.pongTimeoutMs = options.pongTimeoutMs ?? 1000;
    port.addEventListener('message', (event: MessageEvent<ToCaller>) => this.receive(event.data));
    port.start();
  }

  /** Sends a request; resolves when the worker's response head arrives (the body streams after). */
  fetch(payload: RequestPayload, signal?: AbortSignal): Promise<Response> {
    if (this.dead) return Promise.reject(new PortDeadError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        if (!this.waiting.delete(id)) return;
        this.post({ type: 'cinder:cancel', id });
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      this.waiting.set(id, {
        signal,
        resolve: (response) => {
          done();
          resolve(response);
        },
        reject: (cause) => {
          done();
          reject(cause);
        },
      });
      this.post({ type: 'cinder:request', id, ...payload });
      this.watch();
    });
  }

  onDeath(listener: () => void): void {
    if (this.dead) listener();
    else this.deathListeners.add(listener);
  }

  /** Gives up on the port as if it had died (waiting requests reject, open bodies end). */
  close(): void {
    this.die();
  }

  private post(message: ToServer): void {
    this.port.postMessage(message);
  }

  private receive(message: ToCaller): void {
    this.lastHeard = Date.now();
    switch (message?.type) {
      case 'cinder:chunk':
        this.bodies.get(message.id)?.controller.enqueue(message.chunk);
        return;
      case 'cinder:end': {
        const body = this.bodies.get(message.id);
        this.bodies.delete(message.id);
        if (message.error === undefined) body?.controller.close();
        else body?.controller.error(new Error(message.error));
        return;
      }
      case 'cinder:response':
        this.respond(message);
        return;
      case 'cinder:pong':
        if (this.ping?.id === message.id) this.ping = null;
        return;
    }
  }

  private respond(head: PortResponse): void {
    const waiting = this.waiting.get(head.id);
    this.waiting.delete(head.id);
    if (!waiting) {
      if (head.hasBody) this.post({ type: 'cinder:cancel', id: head.id }); // its caller gave up
      return;
    }
    const headers = new Headers(head.headers);
    const sse = headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    const body = head.hasBody ? this.openBody(head.id, sse, waiting.signal) : null;
    waiting.resolve(new Response(body, { status: head.status, statusText: head.statusText, headers }));
  }

  /** The body's stream: fed by chunk messages; cancelling it (or the caller's abort) cancels the worker's. */
  private openBody(id: number, sse: boolean, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
    const cancel = () => {
      if (!this.bodies.delete(id)) return false;
      signal?.removeEventListener('abort', onAbort);
      this.post({ type: 'cinder:cancel', id });
      return true;
    };
    const onAbort = () => {
      const body = this.bodies.get(id);
      if (cancel()) body?.controller.error(signal?.reason);
    };
    return new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.bodies.set(id, { controller, sse });
        signal?.addEventListener('abort', onAbort, { once: true });
      },
      cancel: () => {
        cancel();
      },
    });
  }

  /** Runs the watchdog while a request or a body is open. */
  private watch(): void {
    if (this.timer !== undefined || this.dead) return;
    const tickMs = Math.max(10, Math.min(this.pingAfterMs, this.pongTimeoutMs) / 4);
    const tick = () => {
      this.timer = undefined;
      if (this.dead || (this.waiting.size === 0 && this.bodies.size === 0)) {
        this.ping = null;
        return;
      }
      const now = Date.now();
      if (this.ping && now > this.ping.deadline) {
        this.die();
        return;
      }
      if (!this.ping && now - this.lastHeard >= this.pingAfterMs) {
        this.ping = { id: this.nextId++, deadline: now + this.pongTimeoutMs };
        this.post({ type: 'cinder:ping', id: this.ping.id });
      }
      this.timer = setTimeout(tick, tickMs);
    };
    this.timer = setTimeout(tick, tickMs);
  }

  private die(): void {
    if (this.dead) return;
    this.dead = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    for (const waiting of this.waiting.values()) waiting.reject(new PortDeadError());
    this.waiting.clear();
    for (const { controller, sse } of this.bodies.values()) {
      if (sse) {
        const gone = new ApiError(503, new PortDeadError().message, { code: 'engine_gone' });
        controller.enqueue(new TextEncoder().encode(encodeSseError(gone) + SSE_DONE));
        controller.close();
      } else {
        controller.error(new PortDeadError());
      }
    }
    this.bodies.clear();
    for (const listener of this.deathListeners) listener();
    this.deathListeners.clear();
    this.port.close();
  }
}
