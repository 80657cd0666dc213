/**
 * Regenerates docs/screenshots/: the demo chat app mid-conversation with the trained built-in model
 * (models/cinder-tiny-chat, served as `pnpm start` serves it), 390 px and 1280 px wide, greedy replies
 * (temperature 0, set in the settings dialog) so a rerun gives the same pictures (but for the timings).
 *
 *   npx tsx e2e/demo/screenshots.ts [outDir]
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { horizontalOverflow, send, setSettings, waitForText } from './app-driver.ts';
import { startDemoSite, TRAINED_MODELS_DIR } from './demo-site.ts';

const OUT_DIR = process.argv[2] ?? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const MODEL = 'cinder-tiny-chat';
const PROMPTS = [
  'Hi! Who are you?',
  'What color is the sky?',
  'Tell me a short story about a brave little fox.',
];
/** `top`: the user message (by index) scrolled to the top of the conversation, as far as it goes. */
const VIEWPORTS = [
  { name: 'demo-chat-390', width: 390, height: 844, top: 2 },
  { name: 'demo-chat-1280', width: 1280, height: 960, top: 0 },
];

const site = await startDemoSite(MODEL, { modelsDir: TRAINED_MODELS_DIR });
try {
  await site.context.route(/huggingface\.co/, (route) => route.abort('internetdisconnected'));
  const page = await site.open();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitForText(page, '#model-state', 'Ready', 60_000);
  await setSettings(page, { temperature: 0 });
  for (const prompt of PROMPTS) await send(page, prompt);
  // Without a GPU (headless here) the app says once that models run on the CPU; dismissed, as a user
  // does, so the pictures show the conversation (the header still shows the model and its state).
  for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click();
  await mkdir(OUT_DIR, { recursive: true });
  for (const { name, width, height, top } of VIEWPORTS) {
    await page.setViewportSize({ width, height });
    await page
      .locator('.message.user')
      .nth(top)
      .evaluate((message) => {
        const list = message.closest('#messages')!;
        list.scrollTop += message.getBoundingClientRect().top - list.getBoundingClientRect().top - 12;
      });
    await page.waitForTimeout(200);
    const overflow = await horizontalOverflow(page);
    if (overflow > 0) throw new Error(`${width} px: the page is ${overflow} px wider than the window`);
    const path = join(OUT_DIR, `${name}.png`);
    await page.screenshot({ path });
    console.log(`${path} (${Math.round((await stat(path)).size / 1024)} KB)`);
  }
} finally {
  await site.close();
}
