/**
 * HTTP-level cases: bodies that are not JSON objects, content types, sizes, methods, odd-but-legal JSON.
 * Statuses follow sse-notes.md §1.7 and the brief (415 for a non-JSON media type, 413 past the 4 MiB limit).
 */
import {
  bad,
  baseBody,
  CHAT_PATH,
  either,
  type JsonObject,
  ok,
  type RawRequest,
  type SweepCase,
} from './case.ts';

const MODEL = 'tiny-smollm2';
const GOOD = JSON.stringify(baseBody(MODEL));
/** `{"model":...,"messages":[...],"max_tokens":3` without the closing brace, to splice raw JSON into. */
const OPEN = GOOD.slice(0, -1);

function raw(
  name: string,
  request: Partial<RawRequest> & Pick<RawRequest, 'body'>,
  expect: SweepCase['expect'],
  json?: JsonObject,
): SweepCase {
  return {
    id: `http › ${name}`,
    group: 'http',
    model: MODEL,
    json,
    request: { method: 'POST', path: CHAT_PATH, contentType: 'application/json', ...request },
    expect,
  };
}

const invalidJson = (name: string, body: string) => raw(name, { body }, bad(undefined));

function nested(depth: number, leaf: string): string {
  return '['.repeat(depth) + leaf + ']'.repeat(depth);
}

export function httpCases(): SweepCase[] {
  const base = baseBody(MODEL);
  return [
    invalidJson('truncated JSON', '{"model": '),
    invalidJson('unquoted keys', '{model: "tiny-smollm2"}'),
    invalidJson('single quotes', "{'model': 'tiny-smollm2'}"),
    invalidJson('trailing comma', `${OPEN},}`),
    invalidJson('trailing garbage', `${GOOD} x`),
    invalidJson('two objects', `${GOOD}${GOOD}`),
    invalidJson('NaN literal', `${OPEN},"temperature":NaN}`),
    invalidJson('Infinity literal', `${OPEN},"temperature":Infinity}`),
    invalidJson('comment', `/* hi */${GOOD}`),
    invalidJson('empty body', ''),
    invalidJson('whitespace body', '  \n '),
    invalidJson('non-object: []', '[]'),
    invalidJson('non-object: [request]', `[${GOOD}]`),
    invalidJson('non-object: null', 'null'),
    invalidJson('non-object: string', '"hello"'),
    invalidJson('non-object: number', '42'),
    invalidJson('non-object: true', 'true'),
    raw('text/plain', { body: GOOD, contentType: 'text/plain' }, bad(undefined, { status: 415 })),
    raw(
      'text/plain;charset=UTF-8 (browser default)',
      { body: GOOD, contentType: 'text/plain;charset=UTF-8' },
      bad(undefined, { status: 415 }),
    ),
    raw(
      'form-urlencoded',
      { body: 'model=tiny-smollm2', contentType: 'application/x-www-form-urlencoded' },
      bad(undefined, { status: 415 }),
    ),
    raw(
      'multipart/form-data',
      { body: GOOD, contentType: 'multipart/form-data; boundary=x' },
      bad(undefined, { status: 415 }),
    ),
    raw(
      'text/json',
      { body: GOOD, contentType: 'text/json' },
      either(undefined, 'not application/json, but JSON'),
    ),
    raw(
      'no content type',
      { body: new TextEncoder().encode(GOOD), contentType: null },
      either(undefined, 'servers differ'),
    ),
    raw(
      'application/json; charset=utf-8',
      { body: GOOD, contentType: 'application/json; charset=utf-8' },
      ok(),
      base,
    ),
    raw(
      'Application/JSON (case-insensitive media type)',
      { body: GOOD, contentType: 'Application/JSON' },
      ok(),
      base,
    ),
    raw(
      'body over 4 MiB',
      { body: `${OPEN},"user":"${'x'.repeat(4.5 * 1024 * 1024)}"}` },
      bad(undefined, { status: 413 }),
    ),
    raw(
      'prompt far beyond the context window',
      { body: JSON.stringify({ ...base, messages: [{ role: 'user', content: 'abc '.repeat(25_000) }] }) },
      bad('messages'),
    ),
    raw(
      'deeply nested unknown field',
      { body: `${OPEN},"bogus":${nested(50_000, '1')}}` },
      bad(['bogus', null]),
    ),
    raw(
      'deeply nested content',
      { body: `${swap(OPEN, '"Hello there"', nested(50_000, '"x"'))}}` },
      bad(['messages', null]),
    ),
    raw(
      'deeply nested vllm_xargs',
      { body: `${OPEN},"vllm_xargs":{"a":${nested(10_000, '1')}}}` },
      either(['vllm_xargs', null], 'lists of lists'),
    ),
    raw('duplicate keys (last wins)', { body: `{"model":"nope",${GOOD.slice(1)}` }, ok(), base),
    raw(
      'byte order mark',
      { body: `\ufeff${GOOD}` },
      either(undefined, 'RFC 8259 lets parsers ignore a BOM'),
    ),
    raw(
      'invalid UTF-8 in a string',
      {
        body: withBytes(
          GOOD.slice(0, GOOD.indexOf('there')),
          [0xff, 0xfe],
          GOOD.slice(GOOD.indexOf('there')),
        ),
      },
      either(['messages', null], 'replacement characters or a 400'),
    ),
    raw(
      'lone surrogate escape',
      { body: swap(GOOD, 'Hello there', 'Hello \\ud800 there') },
      either('messages', 'RFC 8259: unpredictable'),
    ),
    raw('seed=2^63-1', { body: `${OPEN},"seed":9223372036854775807}` }, ok(), base),
    raw('seed=-2^63', { body: `${OPEN},"seed":-9223372036854775808}` }, ok(), base),
    raw('max_tokens=3.0', { body: swap(GOOD, '"max_tokens":3', '"max_tokens":3.0') }, ok(), base),
    raw('n=1e0', { body: `${OPEN},"n":1e0}` }, ok(), base),
    raw('temperature=-0.0', { body: `${OPEN},"temperature":-0.0}` }, ok(), base),
    raw(
      'max_tokens=1e400 (Infinity)',
      { body: swap(GOOD, '"max_tokens":3', '"max_tokens":1e400') },
      bad('max_tokens'),
    ),
    raw('temperature=1e400 (Infinity)', { body: `${OPEN},"temperature":1e400}` }, bad('temperature')),
    raw(
      'top_p=1e-400 (underflows to 0)',
      { body: `${OPEN},"top_p":1e-400}` },
      either('top_p', 'top_p 0 is disputed'),
    ),
    raw('GET', { method: 'GET', body: null, contentType: null }, bad(undefined, { status: 405 })),
    raw('PUT', { method: 'PUT', body: GOOD }, bad(undefined, { status: 405 })),
    raw('DELETE', { method: 'DELETE', body: null, contentType: null }, bad(undefined, { status: 405 })),
    raw('PATCH', { method: 'PATCH', body: GOOD }, bad(undefined, { status: 405 })),
    raw('n=2.0 (an integer in JSON Schema)', { body: `${OPEN},"n":2.0}` }, ok(), { ...base, n: 2 }),
    raw(
      'Authorization header although no keys are configured',
      { body: GOOD, headers: { authorization: 'Bearer sk-anything' } },
      ok(),
      base,
    ),
    raw(
      'Accept: text/event-stream without stream',
      { body: GOOD, headers: { accept: 'text/event-stream' } },
      ok(),
      base,
    ),
    raw(
      'Accept: application/json with stream: true',
      { body: JSON.stringify({ ...base, stream: true }), headers: { accept: 'application/json' } },
      ok(),
      { ...base, stream: true },
    ),
    raw(
      '?stream=true in the query does not stream',
      { path: `${CHAT_PATH}?stream=true`, body: GOOD },
      ok(),
      base,
    ),
    raw('trailing slash', { path: `${CHAT_PATH}/`, body: GOOD }, either(undefined, 'routers differ')),
    raw('query string', { path: `${CHAT_PATH}?verbose=1`, body: GOOD }, ok(), base),
    raw('legacy /v1/completions', { path: '/v1/completions', body: GOOD }, bad(undefined, { status: 404 })),
    raw('typo route', { path: '/v1/chat/completion', body: GOOD }, bad(undefined, { status: 404 })),
  ];
}

function withBytes(before: string, bytes: number[], after: string): Uint8Array {
  const encoder = new TextEncoder();
  return new Uint8Array([...encoder.encode(before), ...bytes, ...encoder.encode(after)]);
}

/** `text.replace(from, to)` that refuses to silently do nothing when the base request changes. */
function swap(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`sweep case template: ${JSON.stringify(from)} not in ${text}`);
  return text.replace(from, to);
}
