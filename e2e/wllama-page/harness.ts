/**
 * Node side of the wllama tests: bundles main.ts (esbuild) next to index.html and wllama's wasm,
 * serves it and a models directory in the Hub layout from one origin (cross-origin isolated), opens
 * it in Chromium (no WebGPU), and calls `window.wllamaTest`. Models are added as files (a GGUF written by
 * @cinder/gguf plus config.json). `remoteWllamaFactory` runs a WllamaRuntime in Node whose
 * completions go to wllama in the page: the conformance suite's factory.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeFactory } from '@cinder/engine';
import { writeGguf } from '@cinder/gguf';
import { type CompletionBackend, WllamaRuntime } from '@cinder/runtime-wllama';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../support/browser.ts';
import { bundlePage } from '../support/bundle-page.ts';
import { type HubServer, startHubServer } from '../support/hub-server.ts';
import type { PageLoadOptions, WllamaTestApi } from './main.ts';

const PAGE_DIR = fileURLToPath(new URL('./', import.meta.url));
type ModelSource = Parameters<RuntimeFactory['load']>[0];

const WASM = createRequire(import.meta.url).resolve('@wllama/wllama/esm/wasm/wllama.wasm');

export interface WllamaPage {
  readonly page: Page;
  /** Streamed completions relayed from the page, by id (remoteWllamaFactory). */
  readonly relays: Map<number, (chunk: unknown) => void>;
  call<K extends keyof WllamaTestApi>(
    method: K,
    ...args: Parameters<WllamaTestApi[K]>
  ): Promise<Awaited<ReturnType<WllamaTestApi[K]>>>;
  /** Serves `files` as model `id`. */
  addModel(id: string, files: Record<string, Uint8Array | string>): Promise<void>;
  close(): Promise<void>;
}

export async function startWllamaPage(): Promise<WllamaPage> {
  const staticDir = await mkdtemp(join(tmpdir(), 'cinder-wllama-page-'));
  const modelsRoot = await mkdtemp(join(tmpdir(), 'cinder-wllama-models-'));
  await bundlePage(staticDir, {
    entries: [join(PAGE_DIR, 'main.ts')],
    copy: { [join(PAGE_DIR, 'index.html')]: 'index.html', [WASM]: 'wllama.wasm' },
  });
  // Cross-origin isolated, so wllama may run its multi-thread build (threads > 1).
  const headers = {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  };
  const hub: HubServer = await startHubServer({ modelsRoot, staticDir, headers });
  const browser: BrowserContext = await launchChromium({ webgpu: false });
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('[wllama page]', error));
  const relays = new Map<number, (chunk: unknown) => void>();
  await page.exposeFunction('wllamaChunk', (id: number, chunk: unknown) => relays.get(id)?.(chunk));
  await page.goto(`${hub.url}/`);
  await page.waitForFunction(() => 'wllamaTest' in globalThis);

  return {
    page,
    relays,
    call(method, ...args) {
      return page.evaluate(
        ([name, params]) => {
          const api = (globalThis as unknown as { wllamaTest: Record<string, (...a: unknown[]) => unknown> })
            .wllamaTest;
          return api[name](...params);
        },
        [method, args] as const,
      ) as never;
    },
    async addModel(id, files) {
      const dir = join(modelsRoot, id);
      await mkdir(dir, { recursive: true });
      for (const [name, data] of Object.entries(files)) {
        await mkdir(dirname(join(dir, name)), { recursive: true });
        await writeFile(join(dir, name), data);
      }
    },
    async close() {
      await browser.close();
      await hub.close();
      await rm(staticDir, { recursive: true, force: true });
      await rm(modelsRoot, { recursive: true, force: true });
    },
  };
}

/** A model's GGUF (written by @cinder/gguf) as bytes. */
export async function ggufBytes(
  source: ModelSource,
  type: 'f32' | 'f16' | 'q8_0' | 'q4_0',
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of writeGguf(source, { type })) parts.push(part);
  return new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
}

/**
 * A RuntimeFactory for Node: `load` writes the source as a GGUF, the page loads it with
 * wllamaRuntime, and a WllamaRuntime here sends its completions to that page's wllama.
 */
export function remoteWllamaFactory(
  app: WllamaPage,
  options: PageLoadOptions & { parallel?: number } = {},
): RuntimeFactory {
  let loads = 0;
  return {
    backend: 'wllama',
    async load(source, loadOptions = {}) {
      const key = `remote-${++loads}`;
      await app.addModel(key, { 'model.gguf': await ggufBytes(await withTokenizer(source), 'f32') });
      const info = await app.call('load', key, key, { ...options, contextLength: loadOptions.contextLength });
      const { ms: _, ...model } = info;
      const backend: CompletionBackend = {
        complete: (body) => app.call('complete', key, { ...body }),
        stream: (body, onChunk, signal) => relayStream(app, key, body, onChunk, signal),
        exit: () => app.call('dispose', key),
      };
      return new WllamaRuntime(backend, model, {
        parallel: options.parallel ?? 4,
        threads: 1,
        lookahead: options.lookahead,
        lookaheadLead: options.lookaheadLead,
        sampledLookahead: options.sampledLookahead,
      });
    },
  };
}

let relayIds = 0;

/**
 * A streamed completion run in the page, its chunks relayed here as they come: resolves once every
 * chunk the page sent has arrived.
 */
async function relayStream(
  app: WllamaPage,
  key: string,
  body: Readonly<Record<string, unknown>>,
  onChunk: (chunk: unknown) => void,
  signal: AbortSignal,
): Promise<void> {
  const id = ++relayIds;
  let received = 0;
  let arrived = () => {};
  app.relays.set(id, (chunk) => {
    received++;
    onChunk(chunk);
    arrived();
  });
  const abort = () => void app.call('abortStream', id).catch(() => {});
  signal.addEventListener('abort', abort);
  try {
    const sent = await app.call('relayStream', id, key, { ...body });
    while (received < sent) await new Promise<void>((resolve) => (arrived = resolve));
    signal.throwIfAborted();
  } finally {
    signal.removeEventListener('abort', abort);
    app.relays.delete(id);
  }
}

/**
 * The source, with a byte-level BPE tokenizer.json of `vocab_size` plain tokens when it has none
 * (the runtime's random test models): the GGUF writer needs one, llama.cpp never uses it.
 */
async function withTokenizer(source: ModelSource): Promise<ModelSource> {
  if (await source.file('tokenizer.json')) return source;
  const config = (await (await source.file('config.json'))?.json()) as { vocab_size: number };
  const vocab = Object.fromEntries(Array.from({ length: config.vocab_size }, (_, id) => [`t${id}`, id]));
  const tokenizer = JSON.stringify({
    model: { type: 'BPE', vocab, merges: [] },
    decoder: { type: 'ByteLevel' },
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    added_tokens: [],
  });
  return {
    id: source.id,
    file: (name, options) =>
      name === 'tokenizer.json' ? Promise.resolve(new Response(tokenizer)) : source.file(name, options),
  };
}
