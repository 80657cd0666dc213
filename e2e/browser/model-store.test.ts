/**
 * The model store in real Chromium against the local Hub-layout server: download with progress,
 * list/get/storageUsed, offline reads through `source(id)`, resume after a cut connection and after
 * an abort, delete, and running out of quota (Chromium's own quota, lowered through the DevTools
 * protocol's `Storage.overrideQuotaForOrigin`, so the real QuotaExceededError path runs).
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir } from '@cinder/fixtures';
import { build } from 'esbuild';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';
import type { DownloadResult, StoreTestApi } from './model-store-page/main.ts';

const PAGE_DIR = fileURLToPath(new URL('./model-store-page/', import.meta.url));
const FIXTURES = defaultFixturesDir();

let hub: HubServer;
let browser: BrowserContext;
let page: Page;
let cdp: CDPSession;
let staticDir: string;

/** A fixture's files as the store should hold them: name → size and SHA-256. */
async function fixtureFiles(name: string): Promise<Map<string, { size: number; sha256: string }>> {
  const files = new Map<string, { size: number; sha256: string }>();
  for (const file of await readdir(join(FIXTURES, name))) {
    if (file.startsWith('.')) continue;
    const bytes = await readFile(join(FIXTURES, name, file));
    files.set(file, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return files;
}

function total(files: Map<string, { size: number }>): number {
  return [...files.values()].reduce((sum, file) => sum + file.size, 0);
}

/** Calls one helper of the page's `window.storeTest`. */
function call<K extends keyof StoreTestApi>(
  method: K,
  ...args: Parameters<StoreTestApi[K]>
): Promise<Awaited<ReturnType<StoreTestApi[K]>>> {
  return page.evaluate(
    ([name, params]) => {
      const api = (window as unknown as { storeTest: Record<string, (...a: unknown[]) => unknown> }).storeTest;
      return api[name](...params);
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<StoreTestApi[K]>>>;
}

function expectMonotone(result: DownloadResult, expectedTotal: number) {
  const loaded = result.events.map((event) => event.loaded);
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
  expect(new Set(result.events.map((event) => event.total))).toEqual(new Set([expectedTotal]));
  expect(result.events.at(-1)?.loaded).toBe(expectedTotal);
  const perFile = new Map<string, number>();
  for (const { file } of result.events) {
    expect(file.loaded).toBeGreaterThanOrEqual(perFile.get(file.name) ?? 0);
    expect(file.loaded).toBeLessThanOrEqual(file.total);
    perFile.set(file.name, file.loaded);
  }
  return perFile;
}

async function setQuota(quotaSize?: number) {
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: hub.url, quotaSize });
}

describe.skipIf(!hasChromium())('model store in Chromium', () => {
  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'cinder-model-store-page-'));
    await build({
      entryPoints: [join(PAGE_DIR, 'main.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      outfile: join(staticDir, 'main.js'),
      logLevel: 'error',
    });
    await copyFile(join(PAGE_DIR, 'index.html'), join(staticDir, 'index.html'));
    hub = await startHubServer({ modelsRoot: FIXTURES, staticDir });
    browser = await launchChromium({ webgpu: false });
    page = await browser.newPage();
    await page.goto(`${hub.url}/`);
    await page.waitForFunction(() => 'storeTest' in window);
    cdp = await browser.newCDPSession(page);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    if (staticDir) await rm(staticDir, { recursive: true, force: true });
  });

  it('downloads a sharded model from the Hub layout with monotone progress and verified files', async () => {
    const expected = await fixtureFiles('tiny-llama');
    const result = await call('download', 'cinder/tiny-llama');
    expect(result.error).toBeUndefined();
    const info = result.info!;
    expect(info).toMatchObject({ id: 'cinder/tiny-llama', status: 'ready', error: null });
    expect(info.url).toBe(`${hub.url}/cinder/tiny-llama/resolve/main`);
    expect(info.bytes).toBe(total(expected));
    expect(info.storedBytes).toBe(total(expected));
    expect(new Map(info.files.map((file) => [file.name, { size: file.size, sha256: file.sha256 }]))).toEqual(
      expected,
    );
    expect(info.files.every((file) => file.done)).toBe(true);

    const perFile = expectMonotone(result, total(expected));
    expect(perFile).toEqual(new Map([...expected].map(([name, file]) => [name, file.size])));
    expect(result.events.at(-1)!.rate).toBeGreaterThan(0);
    const mbPerSecond = total(expected) / 1e6 / (result.ms / 1000);
    console.log(`model store: ${(total(expected) / 1e6).toFixed(1)} MB in ${result.ms.toFixed(0)} ms = ${mbPerSecond.toFixed(0)} MB/s`);

    // Each file was fetched once, whole; a second download is answered from the store.
    const gets = hub.log.filter((line) => line.startsWith('GET /cinder/tiny-llama/'));
    expect(gets.filter((line) => line.includes('bytes='))).toEqual([]);
    const requests = hub.log.length;
    const again = await call('download', 'cinder/tiny-llama');
    expect(again.info?.status).toBe('ready');
    expect(hub.log.length).toBe(requests);
  });

  it('lists, gets and measures stored models', async () => {
    const size = total(await fixtureFiles('tiny-llama'));
    const list = await call('list');
    expect(list.map((model) => model.id)).toContain('cinder/tiny-llama');
    expect((await call('get', 'cinder/tiny-llama'))?.status).toBe('ready');
    expect(await call('get', 'nobody/nothing')).toBeNull();
    const used = await call('storageUsed');
    expect(used.bytes).toBe(size);
    expect(used.usage).toBeGreaterThanOrEqual(size);
    expect(used.quota).toBeGreaterThan(used.usage);
  });

  it('reads every file through source(id) with the network cut', async () => {
    const expected = await fixtureFiles('tiny-llama');
    hub.setOffline(true);
    try {
      const digests = await call('readAll', 'cinder/tiny-llama');
      expect(digests).toEqual(
        [...expected].map(([name, file]) => ({ name, ...file })).sort((a, b) => a.name.localeCompare(b.name)),
      );
      // ...
    } finally {
      hub.setOffline(false);
    }
  });
});
