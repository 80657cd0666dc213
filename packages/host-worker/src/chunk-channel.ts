/**
 * Streams of chunks across the worker boundary. comlink cannot carry async iterators, so the worker
 * turns the engine's chunk iterator into a ReadableStream that is transferred to the page, and the page
 * turns it back into an async iterable. Cancelling either end (break, abort) returns the engine's
 * iterator, which stops generation; an error travels as the stream's last item.
 */
import type { ChatCompletionChunk } from '@cinder/protocol';
import type { StreamItem } from './api.ts';
import { fromWireError, toWireError } from './wire-errors.ts';

/** Worker side. `onEnd` runs once, when the stream finished, failed or was cancelled. */
export function chunkStream(
  chunks: AsyncIterable<ChatCompletionChunk>,
  onEnd: () => void,
): ReadableStream<StreamItem> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream<StreamItem>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (!next.done) {
          controller.enqueue({ chunk: next.value });
          return;
        }
      } catch (cause) {
        controller.enqueue({ error: toWireError(cause) });
      }
      onEnd();
      controller.close();
    },
    async cancel() {
      onEnd();
      await iterator.return?.();
    },
  });
}

/**
 * Page side. Leaving the loop early cancels the stream; an aborted `signal` cancels it (even before the
 * loop starts) and makes the loop throw the abort reason (an AbortError), as the engine itself does.
 */
export function chunkIterable(
  stream: ReadableStream<StreamItem>,
  signal?: AbortSignal,
): AsyncIterable<ChatCompletionChunk> {
  const reader = stream.getReader();
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });

  async function* iterate(): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    try {
      while (true) {
        const { done, value } = await reader.read();
        signal?.throwIfAborted();
        if (done) return;
        if ('error' in value) throw fromWireError(value.error);
        yield value.chunk;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      reader.cancel().catch(() => {});
    }
  }
  return { [Symbol.asyncIterator]: iterate };
}
