/**
 * The engine worker without a service worker: the openai SDK with `fetch: createFetch(engine)`, and the
 * comlink client itself, in real Chromium (real Worker, transferred streams, rebuilt ApiErrors).
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

describe.skipIf(!hasChromium())('engine worker without a service worker', () => {
  beforeAll(async () => {
    site = await startTestApp();
    page = await site.open('sw=0');
  });
  afterAll(() => site?.close());

  it('the openai SDK runs on createFetch: completion, stream, errors', async () => {
    expect(await page.evaluate(() => app.controlled())).toBe(false);
    const body = { model: MODEL, messages, max_tokens: 10, temperature: 0, ignore_eos: true };
    const completion = await page.evaluate((b) => app.complete(b), body);
    expect(completion.usage?.completion_tokens).toBe(10);
    await page.evaluate((b) => app.startStream('s', b), body);
    await page.waitForFunction(() => app.run('s').done);
    expect((await page.evaluate(() => app.run('s'))).text).toBe(completion.choices[0].message.content);

    const missing = await page.evaluate(() =>
      app.failure({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(missing).toMatchObject({ name: 'NotFoundError', status: 404, code: 'model_not_found' });
    const bad = await page.evaluate((m) => app.failure({ model: m, messages: [], max_tokens: 1 }), MODEL);
    expect(bad).toMatchObject({ name: 'BadRequestError', status: 400, param: 'messages' });
    // Nothing went to the network: the server saw no /v1 request.
    expect(site.hub.log.filter((line) => line.includes('/v1/'))).toEqual([]);
  });

  it('aborting a createFetch stream stops generation within one token', async () => {
    await page.evaluate((b) => app.startStream('long', b), {
      model: MODEL,
      messages,
      max_tokens: 1800,
      ignore_eos: true,
    });
    await page.waitForFunction(() => app.run('long').chunks >= 5);
    await page.evaluate(() => app.abort('long'));
    await page.waitForFunction(() => app.run('long').done);
    await sleep(100);
    const atStop = (await page.evaluate(() => app.steps()))!;
    await sleep(300);
    expect((await page.evaluate(() => app.steps()))! - atStop).toBeLessThanOrEqual(1);
  });

  it('the comlink client: completion, stream and a rebuilt ApiError', async () => {
    const body = { model: MODEL, messages, max_tokens: 8, temperature: 0, ignore_eos: true };
    const result = await page.evaluate((b) => app.viaComlink(b), body);
    expect(result.stream).toBe(result.completion);
    expect(result.error).toMatchObject({
      isApiError: true,
      status: 404,
      code: 'model_not_found',
      param: 'model',
    });
  });
});
