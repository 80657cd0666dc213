/**
 * GGUF repos as the model store sees them (ggufStoreFetch), on a real GGUF written from the
 * tiny-smollm2 fixture and served from memory as a Hub would: the GGUF passes through, the small
 * Hugging Face files are synthesized from its metadata, ranges are honoured.
 */
import { readdir, readFile } from 'node:fs/promises';
import { memoryModelSource } from '@cinder/model-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { ggufLocation, ggufStoreFetch } from './gguf-catalog.ts';
import { writeGguf } from './gguf-deps.ts';

const BASE = 'https://hub.test/owner/tiny-GGUF/resolve/main';
const FILE = 'tiny-q8_0.gguf';
let gguf: Uint8Array;
const requested: string[] = [];

/** The "network": only the GGUF file exists there. */
const network: typeof fetch = async (input) => {
  const url = String(input);
  requested.push(url.slice(BASE.length + 1));
  if (url !== `${BASE}/${FILE}`) return new Response('Entry not found', { status: 404 });
  return new Response(gguf.slice());
};

beforeAll(async () => {
  const dir = new URL('../../../.fixtures/tiny-smollm2/', import.meta.url);
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(dir)) files[name] = await readFile(new URL(name, dir));
  const parts: Uint8Array[] = [];
  for await (const part of writeGguf(memoryModelSource('tiny', files), { type: 'q8_0' })) parts.push(part);
  gguf = new Uint8Array(await new Blob(parts as Uint8Array<ArrayBuffer>[]).arrayBuffer());
});

describe('ggufLocation', () => {
  it('takes a Hub repo and file, or a URL', () => {
    expect(ggufLocation({ repo: 'owner/tiny-GGUF', file: FILE }, 'https://hub.test/')).toEqual({
      baseUrl: BASE,
      file: FILE,
    });
    expect(ggufLocation({ url: 'https://cdn.test/models/my%20model.gguf' })).toEqual({
      baseUrl: 'https://cdn.test/models',
      file: 'my model.gguf',
    });
  });
});

describe('ggufStoreFetch', () => {
  const storeFetch = () => ggufStoreFetch(new Map([[BASE, FILE]]), network);

  it('passes the GGUF and other origins through to the network', async () => {
    const fetchFn = storeFetch();
    expect((await fetchFn(`${BASE}/${FILE}`)).status).toBe(200);
    expect((await fetchFn('https://hub.test/other/repo/resolve/main/config.json')).status).toBe(404);
  });

  it('synthesizes config.json and tokenizer.json from the GGUF, with ranges as a Hub answers them', async () => {
    const fetchFn = storeFetch();
    const probe = await fetchFn(`${BASE}/config.json`, { headers: { Range: 'bytes=0-0' } });
    expect(probe.status).toBe(206);
    const size = Number(/\/(\d+)$/.exec(probe.headers.get('content-range') ?? '')?.[1]);
    const whole = await fetchFn(`${BASE}/config.json`);
    const text = await whole.text();
    expect(new TextEncoder().encode(text).length).toBe(size);
    expect(JSON.parse(text)).toMatchObject({ gguf_file: FILE, architectures: ['LlamaForCausalLM'] });
    const tokenizer = await (await fetchFn(`${BASE}/tokenizer.json`)).json();
    expect(tokenizer).toHaveProperty('model');
    const tail = await fetchFn(`${BASE}/config.json`, { headers: { Range: `bytes=${size - 2}-` } });
    expect(await tail.text()).toBe(text.slice(-2));
  });

  it('names the GGUF as the only weights file, and has no other files', async () => {
    const fetchFn = storeFetch();
    const index = await (await fetchFn(`${BASE}/model.safetensors.index.json`)).json();
    expect(Object.values(index.weight_map)).toEqual([FILE]);
    expect((await fetchFn(`${BASE}/special_tokens_map.json`)).status).toBe(404);
    expect((await fetchFn(`${BASE}/model.safetensors`)).status).toBe(404);
  });
});
