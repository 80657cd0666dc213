/**
 * The demo chat app (apps/demo) in Chromium, as a user drives it: built with Vite, served by
 * serveDemo with the fixture models as its built-in models, every reply through the openai SDK and
 * the service worker. The steps share one conversation and run in order.
 *
 * Hostile model output is forced through the real path: the app's "extra request parameters"
 * setting sends `structured_outputs: { choice: [PAYLOAD] }`, so the engine's grammar makes the model
 * write exactly PAYLOAD, which streams back and is rendered like any reply.
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import * as drive from './app-driver.ts';
import { type DemoSite, startDemoSite } from './demo-site.ts';

const SCREENSHOTS = join(tmpdir(), 'cinder-demo-screenshots');
const PAYLOAD =
  '<img src=x onerror="window.__pwned=1"> see [click me](javascript:window.__pwned=2) ' +
  '![remote](https://example.com/x.png) and [ok](https://example.com)';

let site: DemoSite;
let page: Page;
const remoteRequests: string[] = [];

const modelState = () => page.textContent('#model-state');
const assistantCount = () => page.locator('.message.assistant').count();
const lastReply = () => drive.lastReply(page);
const replyTo = (action: () => Promise<void>) => drive.replyTo(page, action);
const type = (text: string) => drive.type(page, text);
const send = (text: string) => drive.send(page, text);
const waitForText = (selector: string, text: string) => drive.waitForText(page, selector, text);
const setSettings = (values: drive.SettingsValues) => drive.setSettings(page, values);

async function noHorizontalOverflow(): Promise<{ scrollWidth: number; innerWidth: number }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
}

describe.skipIf(!hasChromium())('demo chat app', () => {
  beforeAll(async () => {
    site = await startDemoSite('tiny-smollm2');
    site.context.on('request', (request) => {
      if (!request.url().startsWith(site.url)) remoteRequests.push(request.url());
    });
    // The Hub is never reached from tests, online or not: a real download would be gigabytes.
    await site.context.route(/huggingface\.co/, (route) => route.abort('internetdisconnected'));
    page = await site.open();
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(() => site?.close());

  it('downloads the built-in model on first start, loads it, and is installable', async () => {
    await waitForText('#model-state', 'Ready');
    expect(await page.textContent('#model-name')).toBe('tiny-smollm2');
    expect(await page.evaluate(() => document.documentElement.dataset.engine)).toBe('service-worker');
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ]) {
      await page.setViewportSize({ width, height });
      expect(await noHorizontalOverflow()).toSatisfy(
        ({ scrollWidth, innerWidth }) => scrollWidth <= innerWidth,
      );
      await page.screenshot({ path: join(SCREENSHOTS, `welcome-${width}.png`) });
    }
    const cdp = await site.context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    await cdp.detach();
  });

  it('streams a reply to a typed message, with time to first token and tokens/s under it', async () => {
    await setSettings({ maxTokens: 24, extra: '{"ignore_eos": true}' });
    await drive.recordStreamedLengths(page);
    await replyTo(async () => {
      await page.click('#prompt');
      await page.keyboard.type('Hello!');
      await page.keyboard.press('Shift+Enter'); // a new line, not a send
      await page.keyboard.type('Who are you?');
      expect(await page.inputValue('#prompt')).toBe('Hello!\nWho are you?');
      await page.keyboard.press('Enter');
    });
    expect((await drive.streamedLengths(page)).length).toBeGreaterThanOrEqual(3); // arrived piece by piece
    expect(await page.locator('.message.user .content').last().textContent()).toBe('Hello!\nWho are you?');
    expect(await page.inputValue('#prompt')).toBe('');
    const stats = await lastReply().locator('.stats').textContent();
    expect(stats).toMatch(
      /^First token [\d.]+ m?s · [\d.]+ tok\/s · 24 tokens · Cut off at the max tokens setting$/,
    );
    expect(await lastReply().locator('header').textContent()).toBe('tiny-smollm2');
    expect(await page.locator('#conversation-list .conversation').first().textContent()).toBe('Hello!');
  });

  it('shows a refused request as a readable error with a way forward', async () => {
    await setSettings({ maxTokens: 8192 }); // more than tiny-smollm2's 2048-token context
    await send('This asks for too much.');
    const box = lastReply().locator('.error-box');
    expect(await box.isVisible()).toBe(true);
    expect(await box.locator('strong').textContent()).toBe('Too long for this model');
    expect(await box.locator('p').textContent()).toMatch(
      /^This model's maximum context length is 2048 tokens\./,
    );
    await box.getByRole('button', { name: 'Open settings' }).click();
    expect(await page.isVisible('#settings-dialog')).toBe(true);
    expect(await page.inputValue('#setting-max-tokens')).toBe('8192');
    await page.click('#settings-cancel');
  });

  it('Esc stops a long reply; it stays stopped and can be sent again', async () => {
    await setSettings({ maxTokens: 1800 });
    await replyTo(async () => {
      await type('Tell me a very long story.');
      await page.waitForFunction(
        () =>
          (document.querySelector('.message.assistant.streaming .content')?.textContent?.length ?? 0) > 20,
      );
      expect(await page.isVisible('#stop')).toBe(true);
      await page.keyboard.press('Escape');
    });
    const stats = await lastReply().locator('.stats').textContent();
    expect(stats).toContain('Stopped');
    const tokens = Number(/(\d+) tokens/.exec(stats ?? '')?.[1]);
    expect(tokens).toBeLessThan(1800);
    const text = await lastReply().locator('.content').textContent();
    await page.waitForTimeout(400);
    expect(await lastReply().locator('.content').textContent()).toBe(text);
    expect(await page.isVisible('#send')).toBe(true);
    expect(await page.isVisible('#stop')).toBe(false);
  });

  it('regenerates the last reply in place', async () => {
    await setSettings({ maxTokens: 16 });
    const before = await lastReply().getAttribute('data-id');
    const count = await assistantCount();
    await replyTo(() => lastReply().getByRole('button', { name: 'Regenerate' }).click());
    expect(await assistantCount()).toBe(count);
    expect(await lastReply().getAttribute('data-id')).not.toBe(before);
    expect(await lastReply().locator('.stats').textContent()).toContain('16 tokens');
  });

  it('edits a message and resends it: later messages are replaced', async () => {
    const users = page.locator('.message.user');
    const first = users.first();
    await first.getByRole('button', { name: 'Edit' }).click();
    await first.locator('textarea').fill('Hello again, edited.');
    await replyTo(() => first.locator('textarea').press('Enter'));
    expect(await users.count()).toBe(1);
    expect(await assistantCount()).toBe(1);
    expect(await first.locator('.content').textContent()).toBe('Hello again, edited.');
  });

  it('renders hostile model output inert: no markup, no script, no javascript: link, no remote image', async () => {
    await setSettings({
      temperature: 0,
      maxTokens: 256,
      extra: JSON.stringify({ structured_outputs: { choice: [PAYLOAD] } }),
    });
    await send('Say the thing.');
    const reply = lastReply();
    expect(await reply.locator('.error-box').isVisible()).toBe(false);
    const content = reply.locator('.content');
    expect(await content.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await page.locator('#messages img, #messages script, #messages iframe').count()).toBe(0);
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0);
    const blocked = content.locator('.md-blocked-link');
    expect(await blocked.textContent()).toBe('click me');
    await blocked.click();
    expect(await content.locator('.md-image').textContent()).toBe('[image: remote]');
    const safe = content.locator('a', { hasText: 'ok' });
    expect(await safe.getAttribute('href')).toBe('https://example.com/');
    expect(await safe.getAttribute('rel')).toContain('noopener');
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(remoteRequests.filter((url) => url.includes('example.com'))).toEqual([]);
    await setSettings({ temperature: 0.7, maxTokens: 24, extra: '{"ignore_eos": true}' });
  });

  it('lists real Hub models with their sizes; their download fails with a clear message', async () => {
    await page.click('#model-button');
    const row = page.locator('.model-row', { hasText: 'SmolLM2 135M Instruct' });
    expect(await row.locator('.model-meta').textContent()).toBe('271 MB · Hugging Face Hub · Not downloaded');
    for (const [label, size] of [
      ['SmolLM2 360M Instruct', '726 MB'],
      ['Qwen2.5 0.5B Instruct', '995 MB'],
      ['Qwen3 0.6B', '1.51 GB'],
      ['Llama 3.2 1B Instruct', '2.48 GB'],
    ]) {
      expect(
        await page.locator('.model-row', { hasText: label }).locator('.model-meta').textContent(),
      ).toContain(size);
    }
    await row.getByRole('button', { name: 'Download' }).click();
    await row.locator('.model-error').waitFor({ state: 'visible' });
    expect(await row.locator('.model-error').textContent()).toContain('huggingface.co could not be reached');
    expect(await row.locator('.model-meta').textContent()).toContain('Download failed');
    await page.keyboard.press('Escape');
  });

  it('switches model: downloads another one with a progress bar, replies come from it', async () => {
    await page.click('#model-button');
    // Exactly: the fixtures also hold tiny-qwen3-gguf, listed as a model of its own.
    const row = page.locator('.model-row', { has: page.getByText('tiny-qwen3', { exact: true }) });
    expect(await row.locator('.model-meta').textContent()).toContain('Not downloaded');
    await row.getByRole('button', { name: 'Download' }).click();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.model-row')].some(
        (r) =>
          r.textContent?.includes('tiny-qwen3') &&
          r.querySelector('.model-meta')?.textContent?.includes('On this device'),
      ),
    );
    await row.locator('label').click();
    await page.keyboard.press('Escape');
    await waitForText('#model-name', 'tiny-qwen3');
    await waitForText('#model-state', 'Ready');
    await send('Now from the other model.');
    expect(await lastReply().locator('header').textContent()).toBe('tiny-qwen3');
    expect(await lastReply().locator('.stats').textContent()).toContain('tok/s');
  });

  it('fits 390 px and 1280 px without horizontal overflow (screenshots saved)', async () => {
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(100);
      expect(await noHorizontalOverflow()).toSatisfy(
        ({ scrollWidth, innerWidth }) => scrollWidth <= innerWidth,
      );
      await page.screenshot({ path: join(SCREENSHOTS, `chat-${width}.png`) });

      await page.click('#model-button');
      const dialog = page.locator('#models-dialog');
      expect(await dialog.evaluate((d) => d.scrollWidth <= d.clientWidth)).toBe(true);
      expect(await noHorizontalOverflow()).toSatisfy(
        ({ scrollWidth, innerWidth }) => scrollWidth <= innerWidth,
      );
      await page.screenshot({ path: join(SCREENSHOTS, `models-${width}.png`) });
      await page.keyboard.press('Escape');

      if (width < 760) {
        await page.click('#menu-button');
        expect(await page.isVisible('#new-chat')).toBe(true);
        expect(await noHorizontalOverflow()).toSatisfy(
          ({ scrollWidth, innerWidth }) => scrollWidth <= innerWidth,
        );
        await page.screenshot({ path: join(SCREENSHOTS, `sidebar-${width}.png`) });
        await page.keyboard.press('Escape');
      }
    }
    console.log(`demo screenshots: ${SCREENSHOTS}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('reloads with the network cut and continues the conversation', async () => {
    const messages = await page.locator('.message').count();
    await site.cutNetwork();
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dataset.engine === 'service-worker');
    expect(await page.locator('.message').count()).toBe(messages);
    await waitForText('#model-state', 'Ready');
    expect(await page.textContent('#model-name')).toBe('tiny-qwen3');
    await send('Still there without a network?');
    expect(await page.locator('.message').count()).toBe(messages + 2);
    expect(await lastReply().locator('.stats').textContent()).toContain('24 tokens');
    expect(await modelState()).toBe('Ready');
  });
});
