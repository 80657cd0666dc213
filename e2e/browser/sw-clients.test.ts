/**
 * Clients we did not write, in a page, streaming from the page's own `/v1` through our service worker:
 * the Vercel AI SDK's OpenAI-compatible provider (`ai` 5 + `@ai-sdk/openai-compatible`) and LangChain's
 * ChatOpenAI (`@langchain/openai`), streaming and not, on a fixture model. The page
 * (e2e/browser-app/clients-page.ts) is bundled for the browser with esbuild next to the test app.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clients } from '../browser-app/clients-page.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { bundlePage } from '../support/bundle-page.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';
import { buildTestApp } from './test-app.ts';

declare global {
  var sdkClients: Clients;
}

const APP_DIR = fileURLToPath(new URL('../browser-app/', import.meta.url));
const ask = { model: 'tiny-smollm2', prompt: 'Tell me a story.', maxTokens: 12 };

let dir: string;
let hub: HubServer;
let context: BrowserContext;
let page: Page;

/** The test app (engine worker, service worker) plus the clients page, in one directory. */
async function buildClientsApp(): Promise<string> {
  const outdir = await buildTestApp();
  return bundlePage(outdir, {
    entries: [join(APP_DIR, 'clients-page.ts')],
    copy: { [join(APP_DIR, 'clients.html')]: 'clients.html' },
  });
}

describe.skipIf(!hasChromium())('other clients in the page through the service worker', () => {
  beforeAll(async () => {
    await ensureFixtures(defaultFixturesDir());
    dir = await buildClientsApp();
    hub = await startHubServer({ modelsRoot: defaultFixturesDir(), staticDir: dir });
    context = await launchChromium();
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('[clients page]', error));
    await page.goto(`${hub.url}/clients.html`);
    await page.waitForFunction(() => 'sdkClients' in globalThis);
    await page.evaluate(() => sdkClients.ready);
  });
  afterAll(async () => {
    await context?.close();
    await hub?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the page is controlled by the service worker', async () => {
    expect(await page.evaluate(() => sdkClients.controlled())).toBe(true);
  });

  it('Vercel AI SDK: generateText and streamText give the same greedy text', async () => {
    const whole = await page.evaluate((a) => sdkClients.aiSdkGenerate(a), ask);
    expect(whole).toMatchObject({ finishReason: 'length', outputTokens: 12 });
    expect(whole.text.length).toBeGreaterThan(0);
    const streamed = await page.evaluate((a) => sdkClients.aiSdkStream(a), ask);
    expect(streamed).toMatchObject({ text: whole.text, finishReason: 'length', outputTokens: 12 });
    expect(streamed.pieces).toBeGreaterThan(1);
  });

  it('LangChain ChatOpenAI: invoke and stream give the same greedy text', async () => {
    const whole = await page.evaluate((a) => sdkClients.langchainInvoke(a), ask);
    expect(whole).toMatchObject({ finishReason: 'length', outputTokens: 12 });
    expect(whole.text.length).toBeGreaterThan(0);
    const streamed = await page.evaluate((a) => sdkClients.langchainStream(a), ask);
    expect(streamed).toMatchObject({ text: whole.text, finishReason: 'length', outputTokens: 12 });
    expect(streamed.pieces).toBeGreaterThan(1);
  });
});
