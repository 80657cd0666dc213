/**
 * The demo chat app (apps/demo, built with Vite, served by serveDemo with the fixture models) in
 * Chromium with WebGPU disabled: the engine worker chooses wllama (llama.cpp in WebAssembly), the
 * page is cross-origin isolated (COOP + COEP from serveDemo, so wllama may use threads), a typed
 * message gets a streamed reply, and the model picker says the app runs on wllama.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, serveDemo } from '../../apps/server/src/serve-demo.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import {
  lastReply,
  recordStreamedLengths,
  replyTo,
  setSettings,
  streamedLengths,
  type,
  waitForText,
} from './app-driver.ts';
import { buildDemo } from './demo-site.ts';

const MODEL = 'tiny-smollm2';

let dir: string;
let server: DemoServer;
let context: BrowserContext;
let page: Page;

describe.skipIf(!hasChromium())('demo chat app without WebGPU', () => {
  beforeAll(async () => {
    await ensureFixtures(defaultFixturesDir());
    dir = await mkdtemp(join(tmpdir(), 'cinder-demo-wllama-'));
    await buildDemo(dir);
    server = await serveDemo({ port: 0, modelsDir: defaultFixturesDir(), distDir: dir, defaultModel: MODEL });
    context = await launchChromium({ webgpu: false });
    await context.route(/huggingface\.co/, (route) => route.abort('internetdisconnected'));
    page = await context.newPage();
    page.on('pageerror', (error) => console.error('[demo page]', error));
    await page.goto(server.url);
    await page.waitForFunction(() => document.documentElement.dataset.engine !== undefined);
  }, 240_000);
  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs on wllama, cross-origin isolated, and says so', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const adapter = await page.evaluate(async () => (await navigator.gpu?.requestAdapter()) ?? null);
    expect(adapter).toBeNull();
    await page.waitForFunction(() => document.documentElement.dataset.runtime !== undefined);
    expect(await page.evaluate(() => document.documentElement.dataset.runtime)).toBe('wllama');
    await waitForText(page, '#model-state', 'Ready', 180_000);
    await page.click('#model-button');
    await page.waitForFunction(() => document.querySelector('#models-dialog')?.hasAttribute('open'));
    expect(await page.textContent('#runtime-line')).toMatch(/^Runtime: wllama \(llama\.cpp in WebAssembly/);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#models-dialog')?.hasAttribute('open'));
  }, 240_000);

  it('streams a reply to a typed message', async () => {
    await setSettings(page, { maxTokens: 16, extra: '{"ignore_eos": true}' });
    await recordStreamedLengths(page);
    await replyTo(page, () => type(page, 'Hello! Who are you?'));
    expect((await streamedLengths(page)).length).toBeGreaterThanOrEqual(3); // arrived piece by piece
    const stats = await lastReply(page).locator('.stats').textContent();
    expect(stats).toMatch(/16 tokens · Cut off at the max tokens setting$/);
    expect((await lastReply(page).locator('.content').textContent())?.length).toBeGreaterThan(0);
  }, 240_000);
});
