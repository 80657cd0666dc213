/**
 * What browsers do to service workers: stop them when idle (here forced through the DevTools
 * protocol), run several tabs of one app, close the tab whose engine is serving, and have no engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import './app-global.ts';
import { startTestApp, type TestApp } from './test-app.ts';

const MODEL = 'tiny-smollm2';
const short = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 };

let site: TestApp;

describe.skipIf(!hasChromium())('service worker lifecycle', () => {
  beforeAll(async () => {
    site = await startTestApp();
  });
  afterAll(() => site?.close());

  it('after the service worker is stopped, the next request re-establishes the channel without a reload', async () => {
    const page = await site.open();
    await page.evaluate((b) => app.complete(b), short);
    const cdp = await site.serviceWorkers();
    const statuses: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) statuses.push(version.runningStatus);
    });
    await cdp.send('ServiceWorker.stopAllWorkers');
    await expect.poll(() => statuses.at(-1)).toBe('stopped');

    const completion = await page.evaluate((b) => app.complete(b), short);
    expect(completion.usage?.completion_tokens).toBe(4);
    await expect.poll(() => statuses.at(-1)).toBe('running');
    await page.close();
  });

  it('a tab without an engine is served by another tab; when that tab closes mid-stream it fails over', async () => {
    const a = await site.open('engine=eager');
    const b = await site.open('engine=lazy');
    const stepsOfA = () => a.evaluate(() => app.steps());

    const before = (await stepsOfA())!;
    const served = await b.evaluate((body) => app.complete(body), short);
    expect(served.usage?.completion_tokens).toBe(4);
    expect(await b.evaluate(() => app.hasEngine())).toBe(false);
    expect((await stepsOfA())!).toBeGreaterThan(before);

    // B streams through A's engine; A's tab closes mid-stream.
    await b.evaluate(
      (m) =>
        app.startStream('s', {
          model: m,
          messages: [{ role: 'user', content: 'Go' }],
          max_tokens: 1800,
          ignore_eos: true,
        }),
      MODEL,
    );
    await b.waitForFunction(() => app.run('s').chunks >= 5);
    const closedAt = Date.now();
    await a.close();
    await b.waitForFunction(() => app.run('s').done, undefined, { timeout: 10_000 });
    const run = await b.evaluate(() => app.run('s'));
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect(run.chunks).toBeLessThan(1800);
    expect(run.error).toMatchObject({ message: expect.stringContaining('stopped answering') });

    // The next request fails over: B starts an engine of its own.
    const failedOver = await b.evaluate((body) => app.complete(body), short);
    expect(failedOver.usage?.completion_tokens).toBe(4);
    expect(await b.evaluate(() => app.hasEngine())).toBe(true);
    await b.close();
  });

  it('with the network cut after the model is in the store, a request still works', async () => {
    const page = await site.open();
    const stored = await page.evaluate(() => app.download('cinder-fixtures/tiny-qwen3'));
    expect(stored).toMatchObject({ id: 'cinder-fixtures/tiny-qwen3', status: 'ready' });
    site.hub.setOffline(true);
    try {
      expect(await page.evaluate(() => app.models())).toContain('cinder-fixtures/tiny-qwen3');
      const body = { ...short, model: 'cinder-fixtures/tiny-qwen3' };
      const completion = await page.evaluate((b) => app.complete(b), body);
      expect(completion.model).toBe('cinder-fixtures/tiny-qwen3');
      expect(completion.usage?.completion_tokens).toBe(4);
    } finally {
      site.hub.setOffline(false);
    }
    await page.close();
  });

  it('with no engine anywhere, a request gets a clear 503 OpenAI error, not a hang', async () => {
    const lonely = await site.open('engine=none');
    // Pages closed just before may take a moment to be gone (with their workers); then it must be a 503.
    let error: Awaited<ReturnType<typeof app.failure>> = null;
    await expect
      .poll(
        async () => {
          const started = Date.now();
          error = await lonely.evaluate((body) => app.failure(body), short);
          return { status: error?.status, fast: Date.now() - started < 5_000 };
        },
        { timeout: 10_000 },
      )
      .toEqual({ status: 503, fast: true });
    expect(error).toMatchObject({ status: 503, code: 'engine_unavailable', type: 'server_error' });
    await lonely.close();
  });
});
