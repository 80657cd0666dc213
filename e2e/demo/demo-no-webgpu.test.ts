/**
 * The demo chat app (apps/demo, built with Vite, served by serveDemo with the fixture models) in
 * Chromium with WebGPU disabled: the engine worker chooses wllama (llama.cpp in WebAssembly), the
 * page is cross-origin isolated (COOP + COEP from serveDemo, so wllama may use threads), a typed
 * message gets a streamed reply, and the model picker says the app runs on wllama. Then a GGUF-only
 * model (the `tiny-smollm2-gguf` fixture, written by e2e global setup) is downloaded and chosen in the
 * picker: its replies stream, Stop ends one mid-reply, and the next message works; with the server
 * gone, a reload still chats with it (the GGUF list and file come from this device).
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
  send,
  setSettings,
  streamedLengths,
  type,
  waitForText,
} from './app-driver.ts';
import { buildDemo } from './demo-site.ts';

const MODEL = 'tiny-smollm2';
/** A GGUF-only model directory: model.q8_0.gguf (served) and model.f32.gguf. */
const GGUF_MODEL = 'tiny-smollm2-gguf';

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

  it('chats with a GGUF model chosen in the picker: streams, stops mid-reply, then replies again', async () => {
    await page.click('#model-button');
    await page.waitForFunction(() => document.querySelector('#models-dialog')?.hasAttribute('open'));
    const row = page.locator('.model-row', { hasText: GGUF_MODEL });
    const meta = row.locator('.model-meta');
    expect(await meta.textContent()).toMatch(/^\d+(\.\d+)? kB · Built in · runs on wllama · Not downloaded$/);
    await row.getByRole('button', { name: 'Download' }).click();
    await page.waitForFunction(
      (id) =>
        [...document.querySelectorAll('.model-row')].some(
          (r) =>
            r.textContent?.includes(id) &&
            r.querySelector('.model-meta')?.textContent?.includes('On this device'),
        ),
      GGUF_MODEL,
      { timeout: 120_000 },
    );
    expect(await meta.textContent()).toContain('runs on wllama');
    await row.locator('label').click();
    await page.keyboard.press('Escape');
    await waitForText(page, '#model-name', GGUF_MODEL, 120_000);
    await waitForText(page, '#model-state', 'Ready', 180_000);

    await setSettings(page, { maxTokens: 1800, extra: '{"ignore_eos": true}' });
    await recordStreamedLengths(page);
    await replyTo(page, async () => {
      await type(page, 'Tell me a very long story.');
      await page.waitForFunction(
        () =>
          (document.querySelector('.message.assistant.streaming .content')?.textContent?.length ?? 0) > 20,
        undefined,
        { timeout: 120_000 },
      );
      await page.click('#stop');
    });
    expect((await streamedLengths(page)).length).toBeGreaterThanOrEqual(3);
    expect(await lastReply(page).locator('header').textContent()).toBe(GGUF_MODEL);
    const stats = await lastReply(page).locator('.stats').textContent();
    expect(stats).toContain('Stopped');
    expect(Number(/(\d+) tokens/.exec(stats ?? '')?.[1])).toBeLessThan(1800);
    const text = await lastReply(page).locator('.content').textContent();
    await page.waitForTimeout(400);
    expect(await lastReply(page).locator('.content').textContent()).toBe(text);

    await setSettings(page, { maxTokens: 8 });
    await send(page, 'And now a short one.');
    expect(await lastReply(page).locator('header').textContent()).toBe(GGUF_MODEL);
    expect(await lastReply(page).locator('.stats').textContent()).toMatch(
      /8 tokens · Cut off at the max tokens setting$/,
    );
  }, 300_000);

  it('reloads with the server gone and still chats with the GGUF model', async () => {
    await server.close();
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.engine === 'service-worker');
    await waitForText(page, '#model-state', 'Ready', 180_000);
    expect(await page.textContent('#model-name')).toBe(GGUF_MODEL);
    await send(page, 'Still there without a network?');
    expect(await lastReply(page).locator('header').textContent()).toBe(GGUF_MODEL);
    expect(await lastReply(page).locator('.stats').textContent()).toMatch(/8 tokens · Cut off/);
  }, 240_000);
});
