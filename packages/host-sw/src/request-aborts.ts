/**
 * The service worker's side of page-signalled aborts. Chromium never aborts a FetchEvent's
 * `request.signal`, so a page that gives up on a request before its response exists (a non-streaming
 * completion still generating, a stream still waiting for its turn) is invisible here. Pages that use
 * `registerCinder(...).fetch` tag each request with an id header and post `cinder:abort` with that id
 * when its signal fires; this table turns the message into an abort of the request's controller.
 *
 * The message and the fetch event travel on different channels, so an abort may arrive first: it is
 * remembered for `earlyTtlMs` and applied when its request shows up.
 */

/** Page -> service worker: the request tagged `requestId` was aborted. */
export interface AbortRequestMessage {
  readonly type: 'cinder:abort';
  readonly requestId: string;
}

export class RequestAborts {
  private readonly open = new Map<string, AbortController>();
  /** Aborts that came before their request: id -> forget after (ms since epoch). */
  private readonly early = new Map<string, number>();

  constructor(private readonly earlyTtlMs = 30_000) {}

  /** Links `requestId` to `controller` until the returned function is called. */
  track(requestId: string, controller: AbortController): () => void {
    if (this.early.delete(requestId)) {
      controller.abort(abortReason());
      return () => {};
    }
    this.open.set(requestId, controller);
    return () => {
      if (this.open.get(requestId) === controller) this.open.delete(requestId);
    };
  }

  abort(requestId: string): void {
    const controller = this.open.get(requestId);
    if (controller) {
      this.open.delete(requestId);
      controller.abort(abortReason());
      return;
    }
    const now = Date.now();
    for (const [id, until] of this.early) if (until < now) this.early.delete(id);
    this.early.set(requestId, now + this.earlyTtlMs);
  }
}

function abortReason(): DOMException {
  return new DOMException('The page aborted this request.', 'AbortError');
}

export function isAbortRequestMessage(data: unknown): data is AbortRequestMessage {
  const message = data as Partial<AbortRequestMessage> | null;
  return message?.type === 'cinder:abort' && typeof message.requestId === 'string';
}
