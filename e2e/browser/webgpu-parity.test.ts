/**
 * runtime-webgpu's parity checks inside headless Chromium's WebGPU (SwiftShader here), on every
 * fixture architecture: the page (e2e/webgpu-parity-page) bundles the WebGPU runtime, the CPU
 * reference runtime and the fixture loading, and the fixtures come from the Hub-layout test server.
 *
 *   f32 logits within 1e-3 of the CPU runtime; f16 / q8 / q4 within 1e-3 of the CPU runtime on the
 *   dequantized weights (runtime-webgpu/README.md); greedy 64-token continuations identical through
 *   the engine (the plain request reads back 4 bytes per token); 2 sequences decoded in one step
 *   equal to separate runs. One Chromium for the file; SwiftShader is slow, so timeouts are long.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { bundlePage } from '../support/bundle-page.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';
import type { ParityApi } from '../webgpu-parity-page/main.ts';

const PAGE_DIR = fileURLToPath(new URL('../webgpu-parity-page/', import.meta.url));
const FIXTURES = ['tiny-llama', 'tiny-qwen3', 'tiny-qwen2', 'tiny-smollm2'];
const TIMEOUT = 900_000;

let staticDir: string;
let hub: HubServer;
let browser: BrowserContext;
let page: Page;

/** Calls one function of the page's `window.parity`. */
function call<K extends keyof ParityApi>(
  method: K,
  ...args: Parameters<ParityApi[K]>
): Promise<Awaited<ReturnType<ParityApi[K]>>> {
  return page.evaluate(
    ([name, params]) => {
      const api = (window as unknown as { parity: Record<string, (...a: unknown[]) => unknown> }).parity;
      return api[name](...params);
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<ParityApi[K]>>>;
}

describe.skipIf(!hasChromium())('WebGPU runtime parity in Chromium', () => {
  beforeAll(async () => {
    await ensureFixtures(defaultFixturesDir());
    staticDir = await mkdtemp(join(tmpdir(), 'cinder-webgpu-parity-'));
    await bundlePage(staticDir, {
      entries: [join(PAGE_DIR, 'main.ts')],
      copy: { [join(PAGE_DIR, 'index.html')]: 'index.html' },
    });
    hub = await startHubServer({ modelsRoot: defaultFixturesDir(), staticDir });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => console.error('[webgpu parity page]', error));
    await page.goto(`${hub.url}/`);
    await page.waitForFunction(() => 'parity' in window, undefined, { timeout: 60_000 });
    const adapter = await call('adapter');
    console.log(`Chromium WebGPU adapter: ${JSON.stringify(adapter)}`);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    if (staticDir) await rm(staticDir, { recursive: true, force: true });
  });

  describe.each(FIXTURES)('%s', (model) => {
    it(
      'f32 logits match the CPU runtime within 1e-3',
      async () => {
        const diff = await call('logitsDiff', model, 'f32');
        console.log(`chromium ${model} f32: max |logit diff| ${diff.toExponential(2)}`);
        expect(diff).toBeLessThanOrEqual(1e-3);
      },
      TIMEOUT,
    );

    it(
      'f16, q8 and q4 logits match the dequantized reference within 1e-3',
      async () => {
        for (const dtype of ['f16', 'q8', 'q4'] as const) {
          const diff = await call('logitsDiff', model, dtype);
          console.log(`chromium ${model} ${dtype}: max |logit diff| vs dequantized ${diff.toExponential(2)}`);
          expect(diff, dtype).toBeLessThanOrEqual(1e-3);
        }
      },
      TIMEOUT,
    );

    it(
      'greedy 64-token continuations are identical through the engine, reading back 4 B per token',
      async () => {
        const report = await call('greedy', model, 64);
        console.log(
          `chromium ${model} greedy: ${report.readbackBytes} B read back for 64 tokens (${report.scoredReadbackBytes} B for 8 with 3 top logprobs), max |logprob diff| ${report.logprobDiff.toExponential(2)}`,
        );
        expect(report.gpu).toHaveLength(64);
        expect(report.gpu).toEqual(report.cpu);
        // Every token drawn on the device (the prompt's last step, then 63 decode steps), no logprobs.
        expect(report.readbackBytes).toBe(64 * 4);
        // With logprobs asked for, the device reports them too (8 B + 8 B per top logprob).
        expect(report.logprobTokens.gpu).toEqual(report.logprobTokens.cpu);
        expect(report.logprobDiff).toBeLessThanOrEqual(1e-3);
        expect(report.scoredReadbackBytes).toBe(8 * (8 + 3 * 8));
      },
      TIMEOUT,
    );

    it(
      'two sequences decoded in one step equal the two decoded separately',
      async () => {
        const report = await call('batched', model, 8);
        console.log(
          `chromium ${model} batched vs separate: max |logit diff| ${report.logitDiff.toExponential(2)}`,
        );
        expect(report.batched).toEqual(report.separate);
        expect(report.separate[0]).toHaveLength(9);
        expect(report.logitDiff).toBeLessThanOrEqual(1e-4);
      },
      TIMEOUT,
    );
  });
});
