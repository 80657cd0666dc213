/**
 * The test app (e2e/browser-app: page.ts + sw.ts, the openai SDK through our service worker) with an
 * engine worker on wllama (wllama-sw-worker.ts), served cross-origin isolated (COOP + COEP, so wllama
 * may use threads) in Chromium with WebGPU disabled. Models, in the Hub's URL layout:
 *
 *   tiny-smollm2-gguf   the tiny-smollm2 fixture converted to GGUF q8_0 here (@cinder/gguf), a GGUF-only repo
 *   tiny-smollm2        the fixture itself (safetensors): wllama gets it through the on-the-fly conversion
 *
 * Used by wllama-sw.test.ts and by the wllama bench (packages/bench/src/wllama-bench.ts).
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import { writeGguf } from '@cinder/gguf';
import { directoryModelSource } from '@cinder/host-node';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { bundlePage } from '../support/bundle-page.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';
import './app-global.ts';

const APP_DIR = fileURLToPath(new URL('../browser-app/', import.meta.url));
const WORKER = fileURLToPath(new URL('./wllama-sw-worker.ts', import.meta.url));

/** Where the models live on the test server: `/cinder-fixtures/<name>/resolve/main/<file>`. */
export const GGUF_FILE = 'model-q8_0.gguf';

/** The wllama wasm, as installed for @cinder/runtime-wllama. */
export function wllamaWasmPath(): string {
  const require = createRequire(fileURLToPath(new URL('../package.json', import.meta.url)));
  return join(require.resolve('@wllama/wllama/package.json'), '../esm/wasm/wllama.wasm');
}

/** Writes `<modelsDir>/<name>/model-q8_0.gguf` from a Hugging Face-layout model directory. */
export async function writeGgufModel(modelDir: string, outDir: string): Promise<number> {
  await mkdir(outDir, { recursive: true });
  const parts: Uint8Array[] = [];
  for await (const part of writeGguf(directoryModelSource(modelDir), { type: 'q8_0' })) parts.push(part);
  const bytes = Buffer.concat(parts);
  await writeFile(join(outDir, GGUF_FILE), bytes);
  return bytes.length;
}

async function buildApp(outdir: string): Promise<void> {
  await mkdir(outdir, { recursive: true });
  await bundlePage(outdir, {
    entries: [
      { in: join(APP_DIR, 'page.ts'), out: 'page' },
      { in: join(APP_DIR, 'sw.ts'), out: 'sw' },
      { in: WORKER, out: 'worker' },
    ],
    copy: { [join(APP_DIR, 'index.html')]: 'index.html', [wllamaWasmPath()]: 'wllama.wasm' },
    sourcemap: true,
  });
}

export interface WllamaSite {
  readonly url: string;
  readonly hub: HubServer;
  readonly context: BrowserContext;
  /** Opens the app (its engine worker on wllama) and waits until the service worker controls it. */
  open(): Promise<Page>;
  close(): Promise<void>;
}

export interface WllamaSiteOptions {
  /** Extra model directories (Hugging Face layout) to serve as `<name>` and `<name>-gguf`. */
  readonly models?: Readonly<Record<string, string>>;
  /** Default true: COOP + COEP, so wllama may run threads. */
  readonly isolated?: boolean;
}

export async function startWllamaSite(options: WllamaSiteOptions = {}): Promise<WllamaSite> {
  await ensureFixtures(defaultFixturesDir());
  const dir = await mkdtemp(join(tmpdir(), 'cinder-wllama-'));
  const appDir = join(dir, 'app');
  const models = join(dir, 'models');
  const sources = { 'tiny-smollm2': join(defaultFixturesDir(), 'tiny-smollm2'), ...options.models };
  for (const [name, modelDir] of Object.entries(sources)) {
    await cp(modelDir, join(models, name), { recursive: true });
    await writeGgufModel(modelDir, join(models, `${name}-gguf`));
  }
  await buildApp(appDir);
  // The worker's catalog: each model as itself (safetensors) and as its GGUF twin.
  await writeFile(join(appDir, 'wllama-models.json'), JSON.stringify(Object.keys(sources)));
  const isolated = options.isolated ?? true;
  const hub = await startHubServer({
    modelsRoot: models,
    staticDir: appDir,
    headers: isolated
      ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
      : {},
  });
  const context = await launchChromium({ webgpu: false });
  return {
    url: hub.url,
    hub,
    context,
    async open() {
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('[wllama page]', error));
      await page.goto(`${hub.url}/`);
      await page.waitForFunction(() => 'app' in globalThis);
      await page.evaluate(() => app.ready);
      if (!(await page.evaluate(() => app.controlled()))) {
        await page.reload(); // the first load registers the service worker; the second is controlled
        await page.waitForFunction(() => 'app' in globalThis);
        await page.evaluate(() => app.ready);
      }
      return page;
    },
    async close() {
      await context.close();
      await hub.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
