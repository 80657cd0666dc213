/**
 * Aborting a non-streaming request through the service worker, before its response exists. Chromium
 * never aborts the FetchEvent's `request.signal` (a plain fetch aborted then runs to its end in the
 * engine), so the page's registerCinder fetch tells the service worker by message, and the service
 * worker notices a page that is gone. The engine worker's step counter shows generation stopped.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import './app-global.ts';
import { startTestApp, type TestApp } from './test-app.ts';

const MODEL = 'tiny-smollm2';
const long = {
  model: MODEL,
  messages: [{ role: 'user', content: 'Tell me a story.' }],
  max_tokens: 1800,
  ignore_eos: true,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let site: TestApp;

/** Waits until the engine in `page` has run `count` more steps than `from`. */
async function stepsReach(page: Page, from: number, count: number): Promise<void> {
  await expect
    .poll(async () => (await page.evaluate(() => app.steps()))! - from, { timeout: 30_000 })
    .toBeGreaterThanOrEqual(count);
}

/** Steps the engine in `page` runs over `ms` (0 or 1 when it is idle). */
async function stepsDuring(page: Page, ms: number): Promise<number> {
  const before = (await page.evaluate(() => app.steps()))!;
  await sleep(ms);
  return (await page.evaluate(() => app.steps()))! - before;
}

describe.skipIf(!hasChromium())('aborting a non-streaming request through the service worker', () => {
  beforeAll(async () => {
    site = await startTestApp();
  });
  afterAll(() => site?.close());

  it("registerCinder's fetch: an abort before the response stops generation within a few tokens", async () => {
    const page = await site.open();
    const start = (await page.evaluate(() => app.steps()))!;
    await page.evaluate((b) => app.startCompletion('c1', b, 'cinder'), long);
    await stepsReach(page, start, 5);
    const atAbort = (await page.evaluate(() => app.steps()))!;
    await page.evaluate(() => app.abort('c1'));
    await page.waitForFunction(() => app.run('c1').done);
    expect((await page.evaluate(() => app.run('c1'))).error).toMatchObject({ name: 'APIUserAbortError' });

    await sleep(200);
    const stoppedAt = (await page.evaluate(() => app.steps()))!;
    expect(await stepsDuring(page, 300)).toBeLessThanOrEqual(1);
    // The abort crosses page -> service worker -> engine worker while tokens keep coming (~1 ms each
    // here); a loaded machine delays each hop, so "a few" is bounded loosely, far from the 1800 asked.
    expect(stoppedAt - atAbort).toBeLessThan(100);

    // The engine is free: the next request is answered in full.
    const next = await page.evaluate(
      (m) =>
        app.complete({
          model: m,
          messages: [{ role: 'user', content: 'again' }],
          max_tokens: 4,
          ignore_eos: true,
        }),
      MODEL,
    );
    expect(next.usage?.completion_tokens).toBe(4);
    await page.close();
  });

  it('an abort before the request even reaches the engine leaves it untouched', async () => {
    const page = await site.open();
    const start = (await page.evaluate(() => app.steps()))!;
    await page.evaluate((b) => {
      app.startCompletion('c0', b, 'cinder');
      app.abort('c0');
    }, long);
    await page.waitForFunction(() => app.run('c0').done);
    await sleep(300);
    expect((await page.evaluate(() => app.steps()))! - start).toBeLessThan(100);
    await page.close();
  });

  it('a plain fetch from a tab that closes before the response: generation stops', async () => {
    const engineTab = await site.open('engine=eager');
    const asker = await site.open('engine=none');
    const start = (await engineTab.evaluate(() => app.steps()))!;
    await asker.evaluate((b) => app.startCompletion('c2', b, 'plain'), long);
    await stepsReach(engineTab, start, 5);
    await asker.close();
    // The service worker checks the asking page every 500 ms; generation then stops within a token.
    await expect
      .poll(() => stepsDuring(engineTab, 300), { timeout: 10_000, interval: 100 })
      .toBeLessThanOrEqual(1);
    expect((await engineTab.evaluate(() => app.steps()))! - start).toBeLessThan(1800);
    await engineTab.close();
  });
});
