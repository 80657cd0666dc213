/**
 * The handler called directly with web-standard Requests (no server), on a real engine with the
 * CPU runtime and a fixture model: the same function a service worker will call.
 */
import { createEngine } from '@cinder/engine';
import { ensureFixture } from '@cinder/fixtures';
import { directoryModelSource } from '@cinder/host-node';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHandler, type Handler } from './index.ts';

const model = 'tiny-smollm2';
let handler: Handler;
let corsHandler: Handler;

beforeAll(async () => {
  const engine = createEngine({
    models: [{ source: directoryModelSource(await ensureFixture(model)), runtime: cpuRuntime }],
  });
  handler = createHandler({ engine, basePath: '/api/v1' });
  corsHandler = createHandler({ engine, cors: true });
});

const chat = (body: unknown, init: RequestInit = {}) =>
  new Request('http://local/api/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...init,
  });

describe('createHandler', () => {
  it('serves under a configurable base path', async () => {
    const ok = await handler(new Request('http://local/api/v1/models'));
    expect(ok.status).toBe(200);
    expect((await ok.json()).data[0].id).toBe(model);
    expect((await handler(new Request('http://local/v1/models'))).status).toBe(404);
  });

  it('answers JSON for a plain request and SSE for stream: true', async () => {
    const messages = [{ role: 'user', content: 'hi' }];
    const plain = await handler(chat({ model, messages, max_tokens: 2 }));
    expect(plain.headers.get('content-type')).toBe('application/json');
    const streamed = await handler(chat({ model, messages, max_tokens: 2, stream: true }));
    expect(streamed.headers.get('content-type')).toContain('text/event-stream');
    expect(await streamed.text()).toMatch(/data: \[DONE\]\n\n$/);
  });

  it('sends a mid-stream failure as an error event followed by [DONE]', async () => {
    // After the 200 went out, a failure becomes an error event, then [DONE] (sse-notes.md §1, rule 6).
    const { sseResponse } = await import('./sse-response.ts');
    async function* failing() {
      yield { ok: 1 };
      throw new Error('boom');
    }
    const text = await sseResponse(failing(), { keepAliveMs: 0 }).text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events[0]).toBe('data: {"ok":1}');
    expect(JSON.parse(events[1].slice(6)).error).toMatchObject({ type: 'server_error', param: null });
    expect(events[2]).toBe('data: [DONE]');
  });

  it('adds CORS headers and answers preflights when asked', async () => {
    const preflight = await corsHandler(
      new Request('http://local/v1/chat/completions', { method: 'OPTIONS' }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const error = await corsHandler(new Request('http://local/v1/nowhere'));
    expect(error.status).toBe(404);
    expect(error.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('a request aborted before it starts gets no generation', async () => {
    const controller = new AbortController();
    controller.abort();
    const response = await handler(
      chat({ model, messages: [{ role: 'user', content: 'x' }] }, { signal: controller.signal }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe('request_cancelled');
  });
});
