/**
 * Server-sent events for chat-completion streams, exactly as the OpenAI SDKs and the AI SDK parse
 * them (sse-notes.md §1): one `data: <json>` line per event, every event ended by a blank line,
 * no `event:` lines, keep-alives as comment lines, `data: [DONE]` last.
 */
import { ApiError, type ErrorBody } from './errors.ts';

/** The stream terminator; close the body right after it. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** Response headers for an event stream. */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/** `data: <json>\n\n`. JSON.stringify escapes newlines, so the event is always a single line. */
export function encodeSseEvent(data: unknown): string {
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError(`encodeSseEvent: ${typeof data} cannot be sent as JSON`);
  return `data: ${json}\n\n`;
}

/** A comment event (`: text\n\n`) that every client skips: use it for keep-alives. */
export function sseComment(text = ''): string {
  const lines = text.split(/\r\n|\r|\n/).map((line) => (line ? `: ${line}` : ':'));
  return `${lines.join('\n')}\n\n`;
}

/** An error after the 200 went out: `data: {"error":{...}}\n\n`. Follow it with SSE_DONE. */
export function encodeSseError(error: ApiError | ErrorBody): string {
  return encodeSseEvent(error instanceof ApiError ? error.toJSON() : error);
}
