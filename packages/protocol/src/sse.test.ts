import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { ApiError, invalidParam } from './errors.ts';
import { encodeSseError, encodeSseEvent, SSE_DONE, SSE_HEADERS, sseComment } from './sse.ts';
import { validateAgainstSchema } from './testing/schema.ts';

function parse(text: string): { events: EventSourceMessage[]; comments: string[] } {
  const events: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
  // feed in awkward pieces, as a network would
  for (let i = 0; i < text.length; i += 7) parser.feed(text.slice(i, i + 7));
  return { events, comments };
}

describe('sse', () => {
  it('encodes one data line per event, ended by a blank line', () => {
    expect(encodeSseEvent({ a: 1 })).toBe('data: {"a":1}\n\n');
    const multiline = encodeSseEvent({ text: 'line 1\nline 2\r\n' });
    expect(multiline.split('\n')).toHaveLength(3);
    expect(multiline.endsWith('\n\n')).toBe(true);
  });

  it('refuses data that is not JSON', () => {
    expect(() => encodeSseEvent(undefined)).toThrow(TypeError);
  });

  it('has the exact [DONE] sentinel', () => {
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
  });

  it('writes keep-alives as comments', () => {
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
    expect(sseComment()).toBe(':\n\n');
    expect(sseComment('a\nb')).toBe(': a\n: b\n\n');
  });

  it('encodes errors as a data event with {error:{...}}', () => {
    const error = invalidParam('temperature', 'bad temperature');
    const fromApiError = encodeSseError(error);
    expect(fromApiError).toBe(
      'data: {"error":{"message":"bad temperature","type":"invalid_request_error","param":"temperature","code":"invalid_value"}}\n\n',
    );
    expect(encodeSseError(error.toJSON())).toBe(fromApiError);
    const body = JSON.parse(encodeSseError(ApiError.from(new Error('boom'))).slice(6));
    expect(validateAgainstSchema('ErrorResponse', body)).toEqual([]);
  });

  it('round-trips through eventsource-parser (what the AI SDK uses)', () => {
    const chunk = { id: 'chatcmpl-1', choices: [{ index: 0, delta: { content: 'é😀\n' } }] };
    const text =
      encodeSseEvent(chunk) + sseComment('keep-alive') + encodeSseError(invalidParam(null, 'x')) + SSE_DONE;
    const { events, comments } = parse(text);
    expect(events.map((e) => e.event)).toEqual([undefined, undefined, undefined]);
    expect(JSON.parse(events[0].data)).toEqual(chunk);
    expect(JSON.parse(events[1].data).error.message).toBe('x');
    expect(events[2].data).toBe('[DONE]');
    expect(comments).toEqual(['keep-alive']);
  });

  it('names an event-stream content type', () => {
    expect(SSE_HEADERS['content-type']).toMatch(/^text\/event-stream/);
  });
});
