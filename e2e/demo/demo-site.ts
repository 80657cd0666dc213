/**
 * The demo app (apps/demo) for end-to-end tests: built with Vite into a temp dir, served by
 * `serveDemo` (apps/server) with the fixture models (or the trained ones in `models/`, as `pnpm start`
 * serves them) as its built-in models, opened in Chromium.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { type DemoServer, type ServeDemoOptions, serveDemo } from '../../apps/server/src/serve-demo.ts';
import { launchChromium } from '../support/browser.ts';

const DEMO_DIR = fileURLToPath(new URL('../../apps/demo/', import.meta.url));
/** The trained built-in models `pnpm start` serves (models/cinder-tiny-chat). */
export const TRAINED_MODELS_DIR = fileURLToPath(new URL('../../models/', import.meta.url));

/** The production build, as `pnpm --filter @cinder/demo build` makes it (vitest sets NODE_ENV=test). */
export async function buildDemo(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: join(DEMO_DIR, 'vite.config.ts'),
      root: DEMO_DIR,
      mode: 'production',
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export interface DemoSite {
  readonly url: string;
  readonly context: BrowserContext;
  readonly server: DemoServer;
  /** Opens the app and waits until its engine is connected. */
  open(): Promise<Page>;
  /** Stops the web server: from now on the network is gone for this origin. */
  cutNetwork(): Promise<void>;
  close(): Promise<void>;
}

export interface DemoSiteOptions {
  /** Directory of built-in models. Default: the fixtures. */
  readonly modelsDir?: string;
  /** Answers `/v1` requests that reach the server (none should, once the service worker runs). */
  readonly api?: ServeDemoOptions['api'];
}

export async function startDemoSite(
  defaultModel = 'tiny-smollm2',
  options: DemoSiteOptions = {},
): Promise<DemoSite> {
  const modelsDir = options.modelsDir ?? defaultFixturesDir();
  if (!options.modelsDir) await ensureFixtures(modelsDir);
  const dir = await mkdtemp(join(tmpdir(), 'cinder-demo-'));
  await buildDemo(dir);
  const server = await serveDemo({ port: 0, modelsDir, distDir: dir, defaultModel, api: options.api });
  const context = await launchChromium();
  let serving = true;
  return {
    url: server.url,
    context,
    server,
    async open() {
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('[demo page]', error));
      await page.goto(server.url);
      await page.waitForFunction(() => document.documentElement.dataset.engine !== undefined);
      return page;
    },
    async cutNetwork() {
      if (serving) await server.close();
      serving = false;
    },
    async close() {
      await context.close();
      if (serving) await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
