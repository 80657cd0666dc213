/**
 * Runs the test app (e2e/browser-app) in real Chromium: bundles it with esbuild into a temp dir, serves
 * it with the fixture models in the Hub's URL layout from one origin on 127.0.0.1 (a secure context, so
 * service workers register), and opens pages in one persistent browser context.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { bundlePage } from '../support/bundle-page.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';

const APP_DIR = fileURLToPath(new URL('../browser-app/', import.meta.url));

/** Bundles page.ts, worker.ts and sw.ts (ES modules) next to index.html in a fresh temp dir. */
export async function buildTestApp(): Promise<string> {
  return bundlePage(await mkdtemp(join(tmpdir(), 'cinder-app-')), {
    entries: ['page.ts', 'worker.ts', 'sw.ts'].map((file) => join(APP_DIR, file)),
    copy: { [join(APP_DIR, 'index.html')]: 'index.html' },
    sourcemap: true,
  });
}

export interface TestApp {
  readonly url: string;
  readonly hub: HubServer;
  readonly context: BrowserContext;
  /** Opens `/?<query>` and waits until the app is ready (controlled by the service worker, unless sw=0). */
  open(query?: string): Promise<Page>;
  /** A DevTools session for service-worker control (ServiceWorker domain enabled). */
  serviceWorkers(): Promise<CDPSession>;
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestApp> {
  await ensureFixtures(defaultFixturesDir());
  const dir = await buildTestApp();
  const hub = await startHubServer({ modelsRoot: defaultFixturesDir(), staticDir: dir });
  const context = await launchChromium();
  let cdp: CDPSession | null = null;
  return {
    url: hub.url,
    hub,
    context,
    async open(query = '') {
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[page ${query}]`, error));
      await page.goto(`${hub.url}/${query ? `?${query}` : ''}`);
      await page.waitForFunction(() => 'app' in globalThis);
      await page.evaluate(() => app.ready);
      return page;
    },
    async serviceWorkers() {
      if (!cdp) {
        cdp = await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
        await cdp.send('ServiceWorker.enable');
      }
      return cdp;
    },
    async close() {
      await context.close();
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
