/**
 * Chromium with WebGPU disabled: the engine worker chooses wllama (llama.cpp in WebAssembly), and the
 * official `openai` SDK in the page (baseURL: this origin's /v1, answered by our service worker) runs
 * on GGUF models: a GGUF-only repo (the tiny-smollm2 fixture converted to q8_0 by @cinder/gguf in
 * this setup, downloaded by our model store) and the safetensors fixture (converted in the browser).
 * Served cross-origin isolated, so wllama may use threads.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import './app-global.ts';
import { startWllamaSite, type WllamaSite } from './wllama-sw-site.ts';

const GGUF_MODEL = 'tiny-smollm2-gguf';
const messages = [{ role: 'user', content: 'Tell me a story.' }];

let site: WllamaSite;
let page: Page;

describe.skipIf(!hasChromium())('wllama through the service worker (no WebGPU)', () => {
  beforeAll(async () => {
    site = await startWllamaSite();
    page = await site.open();
  }, 240_000);
  afterAll(() => site?.close());

  it('chooses wllama, in a cross-origin isolated page controlled by the service worker', async () => {
    expect(await page.evaluate(() => app.controlled())).toBe(true);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const choice = await page.evaluate(() => app.runtimeChoice());
    expect(choice?.backend).toBe('wllama');
    expect(choice?.reason).toMatch(/wllama/);
  });

  it('lists the GGUF model as served by wllama', async () => {
    expect(await page.evaluate(() => app.models())).toContain(GGUF_MODEL);
    const raw = await page.evaluate(() => app.raw('/v1/models'));
    const { data } = JSON.parse(raw.body) as { data: Array<{ id: string; runtime?: string }> };
    expect(data.find((model) => model.id === GGUF_MODEL)?.runtime).toBe('wllama');
  });

  it('runs a completion and a stream on the GGUF model; greedy, both give the same text', async () => {
    const body = { model: GGUF_MODEL, messages, max_tokens: 12, temperature: 0, ignore_eos: true };
    const completion = await page.evaluate((b) => app.complete(b), body);
    expect(completion.object).toBe('chat.completion');
    expect(completion.usage?.completion_tokens).toBe(12);
    await page.evaluate((b) => app.startStream('s1', b), body);
    await page.waitForFunction(() => app.run('s1').done, null, { timeout: 120_000 });
    const run = await page.evaluate(() => app.run('s1'));
    expect(run.error).toBeNull();
    expect(run.finishReason).toBe('length');
    expect(run.text).toBe(completion.choices[0].message.content);
    // once loaded, /v1/models says what actually runs it
    const raw = await page.evaluate(() => app.raw('/v1/models'));
    expect(JSON.parse(raw.body).data.find((model: { id: string }) => model.id === GGUF_MODEL).runtime).toBe(
      'wllama',
    );
  }, 180_000);

  it('aborts a stream mid-way, then answers the next request', async () => {
    const body = { model: GGUF_MODEL, messages, max_tokens: 1500, ignore_eos: true };
    await page.evaluate((b) => app.startStream('long', b), body);
    await page.waitForFunction(() => app.run('long').chunks >= 3 || app.run('long').done, null, {
      timeout: 120_000,
    });
    expect(await page.evaluate(() => app.run('long').error)).toBeNull();
    await page.evaluate(() => app.abort('long'));
    await page.waitForFunction(() => app.run('long').done, null, { timeout: 60_000 });
    const aborted = await page.evaluate(() => app.run('long'));
    expect(aborted.finishReason).toBeNull(); // the SDK ends the stream quietly on abort
    expect(aborted.chunks).toBeLessThan(1500);

    const next = await page.evaluate((b) => app.complete(b), {
      model: GGUF_MODEL,
      messages,
      max_tokens: 4,
      ignore_eos: true,
    });
    expect(next.usage?.completion_tokens).toBe(4);
  }, 180_000);

  it('runs a safetensors model on wllama through the GGUF converted in the browser', async () => {
    const body = { model: 'tiny-smollm2', messages, max_tokens: 6, temperature: 0, ignore_eos: true };
    const completion = await page.evaluate((b) => app.complete(b), body);
    expect(completion.usage?.completion_tokens).toBe(6);
    const raw = await page.evaluate(() => app.raw('/v1/models'));
    const listed = JSON.parse(raw.body).data.find((model: { id: string }) => model.id === 'tiny-smollm2');
    expect(listed.runtime).toBe('wllama');
  }, 180_000);

  it('keeps the converted GGUF in the model store: after a reload the model runs without converting again', async () => {
    const id = 'cinder-fixtures/tiny-smollm2'; // the store's copy (the url catalog serves it as tiny-smollm2)
    await page.evaluate((ref) => app.download(ref), id);
    const body = { model: id, messages, max_tokens: 6, temperature: 0, ignore_eos: true };
    const first = await page.evaluate((b) => app.complete(b), body);
    expect(first.usage?.completion_tokens).toBe(6);
    // The GGUF is written to the store in the background, once wllama has it.
    let kept = await page.evaluate((m) => app.storedModel(m), id);
    for (let i = 0; i < 100 && !kept?.derivedBytes; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      kept = await page.evaluate((m) => app.storedModel(m), id);
    }
    expect(kept?.derivedBytes).toBeGreaterThan(0);

    await page.reload(); // a new engine worker: the model loads again
    await page.waitForFunction(() => 'app' in globalThis);
    await page.evaluate(() => app.ready);
    const second = await page.evaluate((b) => app.complete(b), body);
    expect(second.choices[0].message.content).toBe(first.choices[0].message.content);
    const after = await page.evaluate((m) => app.storedModel(m), id);
    // Read, not made and written again.
    expect(after?.derivedBytes).toBe(kept?.derivedBytes);
    expect(after?.updatedAt).toBe(kept?.updatedAt);
  }, 180_000);
});
