/**
 * HTTP semantics of the Node server, spoken to with plain fetch: status codes, OpenAI error
 * objects, SSE framing per sse-notes.md, and that the server keeps serving after bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../packages/protocol/src/testing/schema.ts';
import { startFixtureServer, type TestServer } from './support/server.ts';
import { readSseEvents } from './support/sse.ts';

let server: TestServer;
const model = 'tiny-smollm2';
const hello = { model, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 4 };

beforeAll(async () => {
  server = await startFixtureServer({ models: [model], maxBodyBytes: 64 * 1024 });
});
afterAll(() => server?.close());

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function expectError(
  response: Response,
  status: number,
  expected: { param?: string | null; code?: string } = {},
) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = await response.json();
  expect(validateAgainstSchema('ErrorResponse', body)).toEqual([]);
  if ('param' in expected) expect(body.error.param).toBe(expected.param);
  if (expected.code) expect(body.error.code).toBe(expected.code);
  return body.error as { message: string; type: string; param: string | null; code: string | null };
}

describe('routes and status codes', () => {
  it('answers a chat completion with a schema-valid body', async () => {
    const response = await post('/v1/chat/completions', hello);
    expect(response.status).toBe(200);
    expect(validateAgainstSchema('CreateChatCompletionResponse', await response.json())).toEqual([]);
  });

  it('lists models', async () => {
    const response = await fetch(`${server.url}/v1/models`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(validateAgainstSchema('ListModelsResponse', body)).toEqual([]);
    expect(body.data.map((m: { id: string }) => m.id)).toEqual([model]);
    const one = await fetch(`${server.url}/v1/models/${model}`);
    expect(validateAgainstSchema('Model', await one.json())).toEqual([]);
  });

  it('404 for unknown routes and unknown models', async () => {
    await expectError(await fetch(`${server.url}/v1/nothing`), 404);
    await expectError(await fetch(`${server.url}/elsewhere`), 404);
    await expectError(await fetch(`${server.url}/v1/models/nope`), 404, { code: 'model_not_found' });
    await expectError(await post('/v1/chat/completions', { ...hello, model: 'nope' }), 404, {
      param: 'model',
      code: 'model_not_found',
    });
  });

  it('405 with Allow for the wrong method', async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`);
    expect(response.headers.get('allow')).toBe('POST');
    await expectError(response, 405);
    await expectError(await post('/v1/models', {}), 405);
  });

  it('415 for a non-JSON content type', async () => {
    await expectError(
      await post('/v1/chat/completions', JSON.stringify(hello), { 'content-type': 'text/plain' }),
      415,
    );
  });

  it('413 past the body limit', async () => {
    const big = { ...hello, messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] };
    await expectError(await post('/v1/chat/completions', big), 413);
  });

  it('400 for malformed JSON and non-object bodies', async () => {
    await expectError(await post('/v1/chat/completions', '{"model": '), 400, { code: 'invalid_json' });
    await expectError(await post('/v1/chat/completions', '[]'), 400);
    await expectError(await post('/v1/chat/completions', 'null'), 400);
  });

  it('400 naming the param for invalid fields, and unknown fields', async () => {
    await expectError(await post('/v1/chat/completions', { ...hello, top_p: 1.5 }), 400, { param: 'top_p' });
    await expectError(await post('/v1/chat/completions', { ...hello, messages: [] }), 400, {
      param: 'messages',
    });
    const error = await expectError(await post('/v1/chat/completions', { ...hello, bogus_field: 1 }), 400, {
      param: 'bogus_field',
    });
    expect(error.message).toBe('Unrecognized request argument supplied: bogus_field');
    await expectError(await post('/v1/chat/completions', { ...hello, stop_token_ids: [10_000_000] }), 400, {
      param: 'stop_token_ids',
    });
  });

  it('400 when prompt + max_tokens exceed the context window', async () => {
    await expectError(await post('/v1/chat/completions', { ...hello, max_tokens: 1_000_000 }), 400, {
      param: 'max_tokens',
      code: 'context_length_exceeded',
    });
  });

  it('keeps serving after all of that', async () => {
    const response = await post('/v1/chat/completions', hello);
    expect(response.status).toBe(200);
  });
});

describe('SSE', () => {
  it('frames chunks as data lines, ends with [DONE], and the body closes', async () => {
    const response = await post('/v1/chat/completions', {
      ...hello,
      max_tokens: 6,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const raw = await response.text();
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(raw).not.toMatch(/^event:/m);
    const events = raw.split('\n\n').filter(Boolean);
    for (const event of events) expect(event.startsWith('data: ')).toBe(true);
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.slice(6)));
    for (const chunk of chunks)
      expect(validateAgainstSchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishes).toHaveLength(1);
    expect(finishes[0].choices[0].delta).toEqual({});
    const last = chunks.at(-1);
    expect(last.choices).toEqual([]);
    expect(last.usage.total_tokens).toBe(last.usage.prompt_tokens + last.usage.completion_tokens);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('n > 1 streams every choice index with its own role and finish chunk', async () => {
    const response = await post('/v1/chat/completions', { ...hello, n: 3, stream: true, seed: 7 });
    const events = await readSseEvents(response);
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((data) => JSON.parse(data));
    for (const index of [0, 1, 2]) {
      const mine = chunks.filter((c) => c.choices[0]?.index === index);
      expect(mine[0].choices[0].delta.role).toBe('assistant');
      expect(mine.filter((c) => c.choices[0].finish_reason)).toHaveLength(1);
    }
  });

  it('a validation error on a stream request is a plain 400, not a stream', async () => {
    await expectError(await post('/v1/chat/completions', { ...hello, stream: true, temperature: -1 }), 400, {
      param: 'temperature',
    });
  });
});

describe('API keys', () => {
  it('401 invalid_api_key without or with a wrong Bearer token; 200 with the right one', async () => {
    const guarded = await startFixtureServer({ models: [model], apiKeys: ['sk-right'] });
    try {
      const url = `${guarded.url}/v1/chat/completions`;
      const send = (headers: Record<string, string>) =>
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(hello),
        });
      await expectError(await send({}), 401, { code: 'invalid_api_key' });
      await expectError(await send({ authorization: 'Bearer sk-wrong' }), 401, { code: 'invalid_api_key' });
      expect((await send({ authorization: 'Bearer sk-right' })).status).toBe(200);
      await expectError(await fetch(`${guarded.url}/v1/models`), 401, { code: 'invalid_api_key' });
    } finally {
      await guarded.close();
    }
  });
});
