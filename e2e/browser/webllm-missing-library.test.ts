/**
 * A real WebLLM (@mlc-ai/web-llm 0.2.86) in real Chromium (WebGPU on SwiftShader), served by our engine
 * worker next to one of our models. The WebLLM model is a custom MLC record on a local server: its
 * mlc-chat-config.json, tokenizer and tensor cache exist, its model library (.wasm) is a 404. Asked
 * for over HTTP (createFetch, the service worker's handler), it must fail with a clear OpenAI error
 * object in bounded time, never hang, and leave the worker serving our model.
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../../packages/protocol/src/testing/schema.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { bundlePage } from '../support/bundle-page.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';
import {
  BROKEN_MLC_MODEL,
  F16_MODEL,
  F32_VARIANT,
  MISSING_LIBRARY,
  OUR_MODEL,
} from '../webllm-page/models.ts';
import type { HttpResult, WebLlmTestApi } from '../webllm-page/page.ts';

const PAGE_DIR = fileURLToPath(new URL('../webllm-page/', import.meta.url));
/** A failed WebLLM load must answer within this (it takes about a second; the machine is slow and shared). */
const BOUND_MS = 60_000;

let root: string;
let hub: HubServer;
let browser: BrowserContext;
let page: Page;

/** A tiny MLC model directory: real file names and shapes, no usable weights (never reached). */
async function writeBrokenMlcModel(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tokenizer = await readFile(join(defaultFixturesDir(), OUR_MODEL, 'tokenizer.json'));
  await writeFile(join(dir, 'tokenizer.json'), tokenizer);
  const chatConfig = {
    model_type: 'llama',
    quantization: 'q4f32_1',
    context_window_size: 512,
    prefill_chunk_size: 128,
    vocab_size: 256,
    tokenizer_files: ['tokenizer.json'],
    conv_template: {
      name: 'chatml',
      system_template: '<|im_start|>system\n{system_message}<|im_end|>\n',
      system_message: '',
      roles: { user: '<|im_start|>user', assistant: '<|im_start|>assistant' },
      seps: ['<|im_end|>\n'],
      role_content_sep: '\n',
      role_empty_sep: '\n',
      stop_str: ['<|im_end|>'],
      stop_token_ids: [2],
    },
    temperature: 0.7,
    top_p: 0.95,
  };
  await writeFile(join(dir, 'mlc-chat-config.json'), JSON.stringify(chatConfig));
  const tensorCache = { metadata: { ParamSize: 0, ParamBytes: 0, BitsPerParam: 0 }, records: [] };
  await writeFile(join(dir, 'tensor-cache.json'), JSON.stringify(tensorCache));
  await writeFile(join(dir, 'ndarray-cache.json'), JSON.stringify(tensorCache));
}

function call<K extends keyof WebLlmTestApi>(
  method: K,
  ...args: Parameters<WebLlmTestApi[K]>
): Promise<Awaited<ReturnType<WebLlmTestApi[K]>>> {
  return page.evaluate(
    ([name, params]) => {
      const api = (window as unknown as { webllmTest: Record<string, (...a: unknown[]) => unknown> })
        .webllmTest;
      return api[name](...params);
    },
    [method, args] as const,
  ) as Promise<Awaited<ReturnType<WebLlmTestApi[K]>>>;
}

const chat = (model: string) => ({
  model,
  messages: [{ role: 'user', content: 'Hello!' }],
  max_tokens: 4,
  temperature: 0,
});

describe.skipIf(!hasChromium())('a WebLLM model whose model library is missing', () => {
  beforeAll(async () => {
    await ensureFixtures(defaultFixturesDir());
    root = await mkdtemp(join(tmpdir(), 'cinder-webllm-'));
    const models = join(root, 'models');
    const site = join(root, 'site');
    await cp(join(defaultFixturesDir(), OUR_MODEL), join(models, OUR_MODEL), { recursive: true });
    await writeBrokenMlcModel(join(models, BROKEN_MLC_MODEL));
    // The page bundled with WebLLM included.
    await bundlePage(site, {
      entries: ['page.ts', 'worker.ts'].map((file) => join(PAGE_DIR, file)),
      copy: { [join(PAGE_DIR, 'index.html')]: 'index.html' },
    });
    hub = await startHubServer({ modelsRoot: models, staticDir: site });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => console.error('[webllm page]', error));
    await page.goto(`${hub.url}/`);
    await page.waitForFunction(() => 'webllmTest' in globalThis);
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('GET /v1/models lists both, with the runtime that serves each, size and cached state', async () => {
    const gpu = await call('gpu');
    expect(gpu).toEqual({ adapter: true, shaderF16: false }); // launchChromium: WebGPU on SwiftShader
    const { status, body } = await call('request', 'GET', '/models');
    expect(status).toBe(200);
    expect(validateAgainstSchema('ListModelsResponse', body)).toEqual([]);
    const data = (body as { data: Record<string, unknown>[] }).data;
    expect(data).toEqual([
      expect.objectContaining({ id: OUR_MODEL, runtime: 'cpu', size_bytes: null, cached: false }),
      // The prebuilt f16-only model chosen for this worker, listed as its f32 variant (no shader-f16 here).
      expect.objectContaining({ id: F32_VARIANT, runtime: 'webllm', cached: false }),
      expect.objectContaining({ id: BROKEN_MLC_MODEL, runtime: 'webllm', size_bytes: null, cached: false }),
    ]);
  });

  it('a request for the f16-only model is a 400 naming its f32 variant, before any download', async () => {
    const before = hub.log.length;
    const result = await call('request', 'POST', '/chat/completions', chat(F16_MODEL));
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      error: {
        message: `The model '${F16_MODEL}' needs the WebGPU feature 'shader-f16', which this GPU lacks; use '${F32_VARIANT}' instead.`,
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_supported',
      },
    });
    expect(hub.log.slice(before)).toEqual([]);
  });

  it('a chat request fails with an OpenAI error naming the missing library, in bounded time', async () => {
    const result: HttpResult = await call('request', 'POST', '/chat/completions', chat(BROKEN_MLC_MODEL));
    expect(result.ms).toBeLessThan(BOUND_MS);
    expect(result.status).toBe(500);
    expect(validateAgainstSchema('ErrorResponse', result.body)).toEqual([]);
    const { error } = result.body as { error: { message: string; type: string; code: string } };
    expect(error).toMatchObject({ type: 'server_error', code: 'model_load_failed' });
    expect(error.message).toContain(`WebLLM could not load the model '${BROKEN_MLC_MODEL}'`);
    expect(error.message).toContain(`model library ${hub.url}${MISSING_LIBRARY} answered HTTP 404`);
    expect(hub.log).toContain(`GET ${MISSING_LIBRARY}`);
  }, 120_000);

  it('then our model still answers, and the WebLLM model fails the same way again (no stuck load)', async () => {
    const ours = await call('request', 'POST', '/chat/completions', chat(OUR_MODEL));
    expect(ours.status).toBe(200);
    expect(ours.body).toMatchObject({ object: 'chat.completion', model: OUR_MODEL });
    expect(validateAgainstSchema('CreateChatCompletionResponse', ours.body)).toEqual([]);
    const again = await call('request', 'POST', '/chat/completions', chat(BROKEN_MLC_MODEL));
    expect(again.ms).toBeLessThan(BOUND_MS);
    expect(again.status).toBe(500);
    expect((await call('loaded')).map((model) => model.id)).toEqual([OUR_MODEL]);
  }, 120_000);
});
