import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, serveDemo } from './serve-demo.ts';

let root: string;
let server: DemoServer;
const weights = new Uint8Array(1000).map((_, i) => i % 251);
const ggufBytes = new Uint8Array(100).map((_, i) => i);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'serve-demo-'));
  const dist = join(root, 'dist');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>demo</title>');
  await writeFile(join(dist, 'assets', 'app-123.js'), 'console.log(1)');
  for (const name of ['beta', 'alpha']) {
    await mkdir(join(root, 'models', name), { recursive: true });
    await writeFile(join(root, 'models', name, 'config.json'), '{"model_type":"llama"}');
    await writeFile(join(root, 'models', name, 'model.safetensors'), weights);
    await writeFile(join(root, 'models', name, 'README.md'), 'not downloaded');
  }
  await mkdir(join(root, 'models', 'not-a-model'));
  // GGUF-only models: q8_0 is offered when there is one, else the smallest file.
  await mkdir(join(root, 'models', 'gamma-gguf'));
  await writeFile(join(root, 'models', 'gamma-gguf', 'model.f32.gguf'), new Uint8Array(400));
  await writeFile(join(root, 'models', 'gamma-gguf', 'model.q8_0.gguf'), ggufBytes);
  await writeFile(join(root, 'models', 'gamma-gguf', 'model.q4_0.gguf'), new Uint8Array(50));
  await mkdir(join(root, 'models', 'delta-gguf'));
  await writeFile(join(root, 'models', 'delta-gguf', 'b.gguf'), new Uint8Array(70));
  await writeFile(join(root, 'models', 'delta-gguf', 'a.gguf'), new Uint8Array(90));
  server = await serveDemo({ port: 0, modelsDir: join(root, 'models'), distDir: dist, defaultModel: 'beta' });
});

afterAll(async () => {
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

describe('serveDemo', () => {
  it('listens on 127.0.0.1 and lists the built-in models with their download size', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await get('/local-models.json');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const bytes = 22 + weights.length; // config.json + model.safetensors; README.md is not downloaded
    expect(await response.json()).toEqual({
      models: [
        { id: 'alpha', repo: 'local/alpha', bytes, default: false },
        { id: 'beta', repo: 'local/beta', bytes, default: true },
        { id: 'delta-gguf', repo: 'local/delta-gguf', bytes: 70, default: false, gguf: 'b.gguf' },
        { id: 'gamma-gguf', repo: 'local/gamma-gguf', bytes: 100, default: false, gguf: 'model.q8_0.gguf' },
      ],
    });
  });

  it('serves a GGUF-only model in the Hub layout too', async () => {
    const response = await get('/local/gamma-gguf/resolve/main/model.q8_0.gguf', {
      headers: { range: 'bytes=10-19' },
    });
    expect(response.status).toBe(206);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(ggufBytes.subarray(10, 20));
    // config.json and the tokenizer are read from the GGUF by the app, never asked of the server.
    expect((await get('/local/gamma-gguf/resolve/main/config.json')).status).toBe(404);
  });

  it('serves model files in the Hub layout: ranges and a SHA-256 ETag', async () => {
    const sha = createHash('sha256').update(weights).digest('hex');
    const probe = await get('/local/alpha/resolve/main/model.safetensors', {
      headers: { range: 'bytes=0-0' },
    });
    expect(probe.status).toBe(206);
    expect(probe.headers.get('content-range')).toBe(`bytes 0-0/${weights.length}`);
    expect(probe.headers.get('etag')).toBe(`"${sha}"`);
    expect(probe.headers.get('accept-ranges')).toBe('bytes');
    expect(new Uint8Array(await probe.arrayBuffer())).toEqual(weights.subarray(0, 1));

    const rest = await get('/local/alpha/resolve/main/model.safetensors', {
      headers: { range: 'bytes=990-' },
    });
    expect(new Uint8Array(await rest.arrayBuffer())).toEqual(weights.subarray(990));
    const suffix = await get('/local/alpha/resolve/main/model.safetensors', {
      headers: { range: 'bytes=-3' },
    });
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(weights.subarray(997));
    const beyond = await get('/local/alpha/resolve/main/model.safetensors', {
      headers: { range: 'bytes=5000-' },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${weights.length}`);

    const whole = await get('/local/alpha/resolve/main/model.safetensors');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-length')).toBe(String(weights.length));
    expect((await get('/local/alpha/resolve/main/tokenizer.json')).status).toBe(404);
    expect((await get('/local/gamma/resolve/main/config.json')).status).toBe(404);
    expect((await get('/local/alpha/resolve/main/..%2F..%2Fdist%2Findex.html')).status).toBe(404);
  });

  it('serves the app: HTML never cached and not frameable, hashed assets immutable, app routes to index.html', async () => {
    const page = await get('/');
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await get('/assets/app-123.js');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(await (await get('/some/route')).text()).toContain('<title>demo</title>');
    expect((await get('/missing.js')).status).toBe(404);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
  });

  it('says how to build the app when it is not built', async () => {
    await expect(serveDemo({ port: 0, modelsDir: root, distDir: join(root, 'nothing') })).rejects.toThrow(
      /pnpm --filter @cinder\/demo build/,
    );
  });
});
