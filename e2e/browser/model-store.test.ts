/**
 * The model store in real Chromium against the local Hub-layout server: download with progress,
 * list/get/storageUsed, offline reads through `source(id)`, resume after a cut connection and after
 * an abort, delete, and running out of quota (Chromium's own quota, lowered through the DevTools
 * protocol's `Storage.overrideQuotaForOrigin`, so the real QuotaExceededError path runs).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir } from '@cinder/fixtures';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { bundlePage } from '../support/bundle-page.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';
import type { DownloadResult, FileDigest, StoreTestApi } from './model-store-page/main.ts';

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
      const api = (window as unknown as { storeTest: Record<string, (...a: unknown[]) => unknown> })
        .storeTest;
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

/**
 * Cuts the download of `file` after `bytes`. The hub's `cutAfter` applies to the next request for
 * the file, and the store first asks for byte 0 alone to learn its size; so the cut is armed as
 * soon as that probe has been let through (the server reads its cut synchronously, right after
 * logging the request).
 */
function cutDownload(file: string, bytes: number) {
  const log = hub.log;
  const push = log.push;
  log.push = (...lines: string[]) => {
    if (lines.some((line) => line.endsWith(`/${file} bytes=0-0`))) {
      log.push = push;
      queueMicrotask(() => hub.cutAfter(file, bytes));
    }
    return push.apply(log, lines);
  };
}

/** Lowers the origin's real quota in Chromium (no argument: back to normal). */
async function setQuota(quotaSize?: number) {
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: hub.url, quotaSize });
}

describe.skipIf(!hasChromium())('model store in Chromium', () => {
  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'cinder-model-store-page-'));
    await bundlePage(staticDir, {
      entries: [join(PAGE_DIR, 'main.ts')],
      copy: { [join(PAGE_DIR, 'index.html')]: 'index.html' },
    });
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
    console.log(
      `model store: ${(total(expected) / 1e6).toFixed(1)} MB in ${result.ms.toFixed(0)} ms = ${mbPerSecond.toFixed(0)} MB/s`,
    );

    // Each file was fetched once, whole; a second download is answered from the store.
    const gets = hub.log.filter((line) => line.startsWith('GET /cinder/tiny-llama/'));
    expect(gets.filter((line) => line.includes('bytes=') && !line.endsWith('bytes=0-0'))).toEqual([]);
    expect(gets.filter((line) => !line.includes('bytes=')).length).toBe(expected.size + 1); // + index probe
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
    // The store asked for persistent storage; headless Chromium's heuristics say no.
    expect(
      await page.evaluate(() => (window as unknown as { persistRequests: number }).persistRequests),
    ).toBeGreaterThan(0);
    expect(typeof used.persisted).toBe('boolean');
  });

  it('reads every file through source(id) with the network cut, ranges included', async () => {
    const expected = await fixtureFiles('tiny-llama');
    const shard = await readFile(join(FIXTURES, 'tiny-llama', 'model-00002-of-00002.safetensors'));
    hub.setOffline(true);
    try {
      const digests = await call('readAll', 'cinder/tiny-llama');
      expect(new Map((digests as FileDigest[]).map(({ name, ...file }) => [name, file]))).toEqual(expected);
      const range = await call('readRange', 'cinder/tiny-llama', 'model-00002-of-00002.safetensors', 8, 1008);
      expect(range).toEqual([...shard.subarray(8, 1008)]);
      expect(await call('readRange', 'cinder/tiny-llama', 'no-such-file.json', 0, 1)).toBeNull();
    } finally {
      hub.setOffline(false);
    }
  });

  it('resumes a download cut mid-file with a Range request from where it stopped', async () => {
    const base = `${hub.url}/x/tiny-smollm2/resolve/main`;
    const expected = await fixtureFiles('tiny-smollm2');
    const cut = 1_000_000;
    // The hub destroys the connection after `cut` bytes, and Chromium drops what it had received
    // but not yet handed to the page; so the page keeps anywhere from 0 to `cut` bytes. Cut again
    // in the (rare) case that nothing at all arrived.
    let kept = 0;
    for (let attempt = 0; attempt < 5 && kept === 0; attempt++) {
      cutDownload('model.safetensors', cut);
      const first = await call('download', base);
      expect(first.error).toMatchObject({ code: 'download_failed', status: 502 });
      expect(first.error?.message).toMatch(/model\.safetensors stopped after .* download again to resume/);
      kept = first.events.filter((event) => event.file.name === 'model.safetensors').at(-1)!.file.loaded;
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThanOrEqual(cut);
    const halfway = await call('get', base);
    expect(halfway).toMatchObject({ id: base, status: 'downloading', error: { code: 'download_failed' } });
    expect(halfway!.storedBytes).toBeGreaterThanOrEqual(kept);

    const second = await call('download', base);
    expect(second.error).toBeUndefined();
    expect(second.info?.status).toBe('ready');
    const resumed = hub.log.filter(
      (line) =>
        line.startsWith('GET /x/tiny-smollm2/resolve/main/model.safetensors bytes=') &&
        !line.endsWith('=0-0'),
    );
    expect(resumed).toEqual([`GET /x/tiny-smollm2/resolve/main/model.safetensors bytes=${kept}-`]);
    console.log(`model store: cut at ${cut} bytes, resumed from byte ${kept}`);
    // Progress of the second attempt starts from the kept bytes and still ends at the total.
    expect(second.events[0].loaded).toBeGreaterThan(0);
    expectMonotone(second, total(expected));
    const digests = (await call('readAll', base)) as FileDigest[];
    expect(new Map(digests.map(({ name, ...file }) => [name, file]))).toEqual(expected);
    expect(await call('cacheKeys', 'cinder-part=')).toEqual([]);
  });

  it('keeps the bytes of an aborted download and resumes it', async () => {
    const expected = await fixtureFiles('tiny-qwen3');
    const first = await call('download', 'cinder/tiny-qwen3', { abortAtBytes: 3_000_000 });
    expect(first.error?.name).toBe('AbortError');
    const aborted = await call('get', 'cinder/tiny-qwen3');
    expect(aborted).toMatchObject({ status: 'downloading', error: { code: 'download_cancelled' } });
    expect(aborted!.storedBytes).toBeGreaterThanOrEqual(3_000_000);

    const second = await call('download', 'cinder/tiny-qwen3');
    expect(second.info?.status).toBe('ready');
    expect(hub.log.some((line) => /^GET \/cinder\/tiny-qwen3\/.* bytes=[1-9]\d*-$/.test(line))).toBe(true);
    expectMonotone(second, total(expected));
    expect(second.events[0].loaded).toBeGreaterThanOrEqual(3_000_000);
  });

  it('keeps files derived from a model beside it: by version, counted in its storage, offline', async () => {
    const id = 'cinder/tiny-llama';
    const name = 'model-q8_0.gguf';
    const before = await call('storageUsed');
    expect(await call('derivedGet', id, name, 'v1')).toBeNull();
    const first = 'x'.repeat(5000);
    expect(await call('derivedPut', id, name, 'v1', first)).toEqual({ ok: true });
    expect(await call('derivedGet', id, name, 'v1')).toBe(first);
    expect(await call('derivedGet', id, name, 'v2')).toBeNull(); // made by another version: not it
    // A new version replaces the old one.
    const second = 'y'.repeat(3000);
    expect(await call('derivedPut', id, name, 'v2', second)).toEqual({ ok: true });
    expect(await call('derivedGet', id, name, 'v1')).toBeNull();
    expect(await call('cacheKeys', 'cinder-derived')).toHaveLength(1);
    expect((await call('get', id))?.derivedBytes).toBe(3000);
    expect((await call('storageUsed')).bytes - before.bytes).toBe(3000);
    hub.setOffline(true);
    try {
      expect(await call('derivedGet', id, name, 'v2')).toBe(second);
    } finally {
      hub.setOffline(false);
    }
    // Nothing is kept for a model the store does not hold.
    expect(await call('derivedPut', 'nobody/nothing', name, 'v1', 'z')).toMatchObject({
      error: { code: 'model_not_ready', status: 409 },
    });
  });

  it('delete removes the files (derived ones too) and frees the storage', async () => {
    const size = total(await fixtureFiles('tiny-llama'));
    const derived = (await call('get', 'cinder/tiny-llama'))!.derivedBytes;
    expect(derived).toBeGreaterThan(0); // kept by the test above
    const before = await call('storageUsed');
    expect(await call('delete', 'cinder/tiny-llama')).toBe(true);
    expect(await call('delete', 'cinder/tiny-llama')).toBe(false);
    expect(await call('get', 'cinder/tiny-llama')).toBeNull();
    expect(await call('cacheKeys', '/tiny-llama/')).toEqual([]);
    const after = await call('storageUsed');
    expect(before.bytes - after.bytes).toBe(size + derived);
    expect(await call('cacheKeys', 'cinder-derived')).toEqual([]);
    expect(before.usage - after.usage).toBeGreaterThanOrEqual(size * 0.9);
    expect(await call('readAll', 'cinder/tiny-llama')).toMatchObject({
      error: { message: 'no model cinder/tiny-llama' },
    });
  });

  it('delete stops a download in flight and leaves nothing behind', async () => {
    const result = await call('deleteWhileDownloading', 'cinder/tiny-llama');
    expect(result).toMatchObject({ deleted: true, error: { name: 'AbortError' } });
    expect(await call('get', 'cinder/tiny-llama')).toBeNull();
    expect(await call('cacheKeys', '/tiny-llama/')).toEqual([]);
  });

  it('refuses a model the quota cannot hold before downloading it', async () => {
    // Chromium's estimate() does not show a DevTools quota override, so the page's estimate is
    // stubbed for this call to report 100 kB free.
    const { usage } = await call('storageUsed');
    const result = await call('download', 'cinder/tiny-qwen2', {
      estimate: { usage, quota: usage + 100_000 },
    });
    expect(result.error).toMatchObject({ code: 'insufficient_storage', status: 507 });
    expect(result.error?.message).toMatch(
      /^Not enough storage for model cinder\/tiny-qwen2: it needs 87\d kB more, but only 100 kB is available/,
    );
    expect(hub.log.filter((line) => /^GET \/cinder\/tiny-qwen2\/resolve\/main\/\S+$/.test(line))).toEqual([
      'GET /cinder/tiny-qwen2/resolve/main/model.safetensors.index.json',
    ]);
    expect(await call('get', 'cinder/tiny-qwen2')).toMatchObject({
      status: 'downloading',
      storedBytes: 0,
      error: { code: 'insufficient_storage' },
    });
  });

  it('reports a QuotaExceededError during the writes and never marks the model ready', async () => {
    // The real quota, lowered through the DevTools protocol: the pre-check passes (estimate() does
    // not show the override) and the browser refuses the writes.
    const { usage } = await call('storageUsed');
    await setQuota(usage + 400_000); // model.safetensors is 863 kB
    try {
      const result = await call('download', 'cinder/tiny-qwen2');
      expect(result.error).toMatchObject({ code: 'insufficient_storage', status: 507 });
      expect(result.error?.message).toMatch(
        /^Not enough storage for model cinder\/tiny-qwen2: .*QuotaExceededError/,
      );
      const info = await call('get', 'cinder/tiny-qwen2');
      expect(info).toMatchObject({ status: 'downloading', error: { code: 'insufficient_storage' } });
      console.log(`model store, quota error: ${result.error?.message}`);
    } finally {
      await setQuota();
    }
    const retry = await call('download', 'cinder/tiny-qwen2');
    expect(retry.error).toBeUndefined();
    expect(retry.info?.status).toBe('ready');
  });
});
