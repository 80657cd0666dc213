/**
 * The openai SDK in a page, `baseURL: location.origin + '/v1'`, answered by our service worker from the
 * page's engine worker: completions, streams (chunk by chunk), HTTP errors, and abort.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import './app-global.ts';
import { startTestApp, type TestApp } from './test-app.ts';

const MODEL = 'tiny-smollm2';
const messages = [{ role: 'user', content: 'Tell me a story.' }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let site: TestApp;
let page: Page;

describe.skipIf(!hasChromium())('openai SDK through the service worker', () => {
  beforeAll(async () => {
    site = await startTestApp();
    page = await site.open();
  });
  afterAll(() => site?.close());

  it('the page is controlled and lists the models', async () => {
    expect(await page.evaluate(() => app.controlled())).toBe(true);
    expect(await page.evaluate(() => app.models())).toContain(MODEL);
  });

  it('runs a completion and a stream; greedy, both give the same text', async () => {
    const body = { model: MODEL, messages, max_tokens: 12, temperature: 0, ignore_eos: true };
    const completion = await page.evaluate((b) => app.complete(b), body);
    expect(completion.object).toBe('chat.completion');
    expect(completion.usage?.completion_tokens).toBe(12);
    await page.evaluate((b) => app.startStream('s1', b), body);
    await page.waitForFunction(() => app.run('s1').done);
    const run = await page.evaluate(() => app.run('s1'));
    expect(run.error).toBeNull();
    expect(run.finishReason).toBe('length');
    expect(run.text).toBe(completion.choices[0].message.content);
  });

  it('streams chunk by chunk as tokens are produced, not buffered to the end', async () => {
    const body = { model: MODEL, messages, max_tokens: 400, ignore_eos: true, return_token_ids: true };
    const { atFirst, after } = await page.evaluate((b) => app.stepsAtFirstToken(b), body);
    expect(after).toBeGreaterThanOrEqual(400);
    expect(atFirst).toBeGreaterThan(0);
    expect(atFirst).toBeLessThan(200); // buffered to the end, it would be 400
  });

  it('errors come back as HTTP statuses with OpenAI error bodies', async () => {
    const missing = await page.evaluate(() =>
      app.failure({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(missing).toMatchObject({
      name: 'NotFoundError',
      status: 404,
      code: 'model_not_found',
      param: 'model',
    });
    const bad = await page.evaluate(
      (m) => app.failure({ model: m, messages: [{ role: 'user', content: 'x' }], temperature: 'hot' }),
      MODEL,
    );
    expect(bad).toMatchObject({
      name: 'BadRequestError',
      status: 400,
      type: 'invalid_request_error',
      param: 'temperature',
    });

    const raw = await page.evaluate(() =>
      app.raw('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{oops',
      }),
    );
    expect(raw.status).toBe(400);
    expect(raw.contentType).toContain('application/json');
    expect(JSON.parse(raw.body).error.type).toBe('invalid_request_error');
    const wrongMethod = await page.evaluate(() => app.raw('/v1/chat/completions'));
    expect(wrongMethod.status).toBe(405);
    const unknown = await page.evaluate(() => app.raw('/v1/nothing-here'));
    expect(unknown.status).toBe(404);
    // Outside /v1 the service worker stays out of the way: the static server answers.
    const outside = await page.evaluate(() => app.raw('/index.html'));
    expect(outside.contentType).toContain('text/html');
  });

  it('aborting mid-stream stops generation within one token, and the next request works', async () => {
    const body = { model: MODEL, messages, max_tokens: 1800, ignore_eos: true };
    await page.evaluate((b) => app.startStream('long', b), body);
    await page.waitForFunction(() => app.run('long').chunks >= 5);
    await page.evaluate(() => app.abort('long'));
    await page.waitForFunction(() => app.run('long').done);
    await sleep(100);
    const atStop = (await page.evaluate(() => app.steps()))!;
    await sleep(300);
    const later = (await page.evaluate(() => app.steps()))!;
    expect(later - atStop).toBeLessThanOrEqual(1);
    expect((await page.evaluate(() => app.run('long'))).chunks).toBeLessThan(1800);

    const next = await page.evaluate(
      (m) => app.complete({ model: m, messages: [{ role: 'user', content: 'again' }], max_tokens: 4 }),
      MODEL,
    );
    expect(next.choices[0].finish_reason).toBeDefined();
  });
  it("the service-worker benchmark's paths all run here (pnpm bench times them)", async () => {
    const results = await page.evaluate(() =>
      app.benchAll({ model: 'tiny-smollm2', runs: 1, maxTokens: 4, warmup: 0 }),
    );
    for (const path of ['direct', 'handler', 'sw'] as const) expect(results[path][0].tokens).toBe(4);
    // The floor route: answered by the test app's service worker itself, fetch event before the head.
    const [floor] = results.floor ?? [];
    expect(floor.dispatchMs).toBeGreaterThanOrEqual(-0.5); // two threads' clocks, 0.1 ms steps
    expect(floor.dispatchMs).toBeLessThanOrEqual(floor.headMs + 0.5);
    expect(floor.headMs).toBeLessThanOrEqual(floor.firstBytesMs);
  });
});
