/**
 * Streams chat-completion chunks as Server-Sent Events, as ../shared/spec/sse-notes.md says clients parse them:
 * one `data:` line per chunk, `data: [DONE]` last, then the body closes. An error after the headers went out
 * becomes a `data: {"error":...}` event followed by `[DONE]`. Cancelling the body (client gone, fetch aborted)
 * returns the iterator, which stops generation.
 */
import {
  ApiError,
  encodeSseError,
  encodeSseEvent,
  SSE_HEADERS as PROTOCOL_SSE_HEADERS,
  SSE_DONE,
  sseComment,
} from '@cinder/protocol';

/** The protocol's SSE headers, plus telling reverse proxies not to buffer the stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  ...PROTOCOL_SSE_HEADERS,
  'x-accel-buffering': 'no',
};

export interface SseOptions {
  /** Send a comment line when no chunk went out for this long (ms); 0 disables. */
  readonly keepAliveMs?: number;
}

export function sseResponse(chunks: AsyncIterable<unknown>, options: SseOptions = {}): Response {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  let timer: ReturnType<typeof setInterval> | undefined;
  let lastSent = Date.now();
  let finished = false;

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      if (keepAliveMs > 0) {
        timer = setInterval(() => {
          if (!finished && Date.now() - lastSent >= keepAliveMs) {
            controller.enqueue(encoder.encode(sseComment('keep-alive')));
            lastSent = Date.now();
          }
        }, keepAliveMs);
      }
    },
    async pull(controller) {
      const send = (text: string) => {
        controller.enqueue(encoder.encode(text));
        lastSent = Date.now();
      };
      try {
        const next = await iterator.next();
        if (finished) return;
        if (!next.done) {
          send(encodeSseEvent(next.value));
          return;
        }
        send(SSE_DONE);
      } catch (cause) {
        if (finished) return;
        send(encodeSseError(ApiError.from(cause)));
        send(SSE_DONE);
      }
      finish();
      controller.close();
    },
    async cancel() {
      finish();
      await iterator.return?.();
    },
  });

  function finish() {
    finished = true;
    if (timer !== undefined) clearInterval(timer);
  }

  return new Response(stream, { status: 200, headers: SSE_HEADERS });
}
