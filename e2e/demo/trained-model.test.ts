/**
 * The demo chat app with the trained built-in model (models/cinder-tiny-chat), served the way
 * `pnpm start` serves it, in Chromium. Replies take the app's normal path: the openai SDK in the page,
 * our service worker, the engine worker. Temperature is set to 0 in the settings dialog first, so the
 * replies are the model's greedy ones and the checks are deterministic. The steps run in order.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import {
  lastReply,
  recordStreamedLengths,
  send,
  setSettings,
  streamedLengths,
  waitForText,
} from './app-driver.ts';
import { type DemoSite, startDemoSite, TRAINED_MODELS_DIR } from './demo-site.ts';

const MODEL = 'cinder-tiny-chat';

/** Words that make up a large share of any English prose; gibberish has almost none of them. */
const COMMON_WORDS = new Set(
  (
    'a an the and but or so then when as at by for from in into of on to up with was were is are be ' +
    'he she it they them his her its their there this that what who said saw had has have did do ' +
    'not no one day very all too after again could would will can said'
  ).split(' '),
);

let site: DemoSite;
let page: Page;
let serverApiRequests = 0;
const chatRequests: Request[] = [];

/** The last reply's text, one line per block (paragraph, heading...). */
const replyText = async () => (await lastReply(page).locator('.content > *').allTextContents()).join('\n');

describe.skipIf(!hasChromium() || !existsSync(join(TRAINED_MODELS_DIR, MODEL, 'config.json')))(
  'demo chat app with the trained built-in model',
  () => {
    beforeAll(async () => {
      site = await startDemoSite(MODEL, {
        modelsDir: TRAINED_MODELS_DIR,
        // The service worker answers /v1 in the browser: any request reaching the server is a failure.
        api: (_req, res) => {
          serverApiRequests++;
          res.writeHead(503).end();
        },
      });
      await site.context.route(/huggingface\.co/, (route) => route.abort('internetdisconnected'));
      page = await site.open();
      page.on('request', (request) => {
        if (request.url().endsWith('/v1/chat/completions')) chatRequests.push(request);
      });
      await page.setViewportSize({ width: 1280, height: 800 });
    });
    afterAll(() => site?.close());

    it('downloads and loads cinder-tiny-chat by default', async () => {
      await waitForText(page, '#model-state', 'Ready', 60_000);
      expect(await page.textContent('#model-name')).toBe(MODEL);
      expect(await page.evaluate(() => document.documentElement.dataset.engine)).toBe('service-worker');
    });

    it('answers "What color is the sky?" on topic, streamed, through the service worker', async () => {
      await setSettings(page, { temperature: 0 });
      await recordStreamedLengths(page);
      await send(page, 'What color is the sky?');
      const answer = await replyText();
      expect(answer.toLowerCase()).toContain('blue');
      expect((await streamedLengths(page)).length).toBeGreaterThanOrEqual(3); // arrived piece by piece
      expect(await lastReply(page).locator('header').textContent()).toBe(MODEL);
      expect(await lastReply(page).locator('.stats').textContent()).toMatch(/tok\/s · \d+ tokens$/);

      const request = chatRequests.at(-1)!;
      expect(request.postDataJSON()).toMatchObject({ model: MODEL, temperature: 0, stream: true });
      expect((await request.response())?.fromServiceWorker()).toBe(true);
      expect(serverApiRequests).toBe(0);
    });

    it('tells a short story: several sentences of real words, about what was asked', async () => {
      await send(page, 'Tell me a short story about a brave little fox.');
      const story = await replyText();
      const sentences = story.split(/(?<=[.!?]["”]?)\s+/).filter((s) => s.split(/\s+/).length >= 3);
      expect(sentences.length).toBeGreaterThanOrEqual(4);
      const words = story.toLowerCase().match(/[a-z]+(?:'[a-z]+)?/g) ?? [];
      expect(words.length).toBeGreaterThanOrEqual(40);
      const common = words.filter((word) => COMMON_WORDS.has(word)).length;
      expect(common / words.length).toBeGreaterThan(0.25);
      expect(words).toContain('fox');
      expect(await lastReply(page).locator('.stats').textContent()).not.toContain('Cut off');
      expect(serverApiRequests).toBe(0);
    });

    it('still answers after a reload with the network cut', async () => {
      const messages = await page.locator('.message').count();
      await site.cutNetwork();
      await page.reload();
      await page.waitForFunction(() => document.documentElement.dataset.engine === 'service-worker');
      await waitForText(page, '#model-state', 'Ready', 60_000);
      expect(await page.locator('.message').count()).toBe(messages);
      await send(page, 'What does a cow say?');
      expect(await replyText()).toContain('moo');
    });
  },
);
