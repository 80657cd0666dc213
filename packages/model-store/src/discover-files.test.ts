import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HubServer, startHubServer } from '../../../e2e/support/hub-server.ts';
import { discoverFiles } from './discover-files.ts';

// Real HTTP against the e2e Hub-layout server, on tiny repos written here.
let root: string;
let hub: HubServer;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function repo(name: string, files: Record<string, string>) {
  await mkdir(join(root, name));
  for (const [file, text] of Object.entries(files)) await writeFile(join(root, name, file), text);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cinder-discover-'));
  await repo('single', { 'config.json': '{}', 'tokenizer.json': '{"t":1}', 'model.safetensors': 'weights!' });
  await repo('sharded', {
    'config.json': '{}',
    'tokenizer.json': '{}',
    'tokenizer_config.json': '{}',
    'model.safetensors.index.json': JSON.stringify({
      weight_map: {
        a: 'model-00002-of-00002.safetensors',
        b: 'model-00001-of-00002.safetensors',
        c: 'model-00001-of-00002.safetensors',
      },
    }),
    'model-00001-of-00002.safetensors': 'one',
    'model-00002-of-00002.safetensors': 'two!',
  });
  await repo('no-tokenizer', { 'config.json': '{}', 'model.safetensors': 'w' });
  hub = await startHubServer({ modelsRoot: root });
});

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

describe('discoverFiles', () => {
  it('lists a single-file model with sizes and the SHA-256 from the ETag', async () => {
    const base = `${hub.url}/o/single/resolve/main`;
    const files = await discoverFiles('o/single', base, fetch);
    expect(files).toEqual([
      { name: 'config.json', url: `${base}/config.json`, size: 2, etag: sha('{}'), sha256: sha('{}') },
      {
        name: 'tokenizer.json',
        url: `${base}/tokenizer.json`,
        size: 7,
        etag: sha('{"t":1}'),
        sha256: sha('{"t":1}'),
      },
      {
        name: 'model.safetensors',
        url: `${base}/model.safetensors`,
        size: 8,
        etag: sha('weights!'),
        sha256: sha('weights!'),
      },
    ]);
  });

  it('takes the shards named by the index, the index itself, and the optional files present', async () => {
    const files = await discoverFiles('o/sharded', `${hub.url}/o/sharded/resolve/main`, fetch);
    expect(files.map((file) => [file.name, file.size])).toEqual([
      ['config.json', 2],
      ['tokenizer.json', 2],
      ['model.safetensors.index.json', expect.any(Number)],
      ['model-00001-of-00002.safetensors', 3],
      ['model-00002-of-00002.safetensors', 4],
      ['tokenizer_config.json', 2],
    ]);
  });

  it('fails with model_not_found when a required file is missing', async () => {
    await expect(
      discoverFiles('o/no-tokenizer', `${hub.url}/o/no-tokenizer/resolve/main`, fetch),
    ).rejects.toMatchObject({
      code: 'model_not_found',
      status: 404,
      message: expect.stringContaining('has no tokenizer.json'),
    });
  });

  it('fails with download_failed when the server cannot be reached', async () => {
    hub.setOffline(true);
    try {
      await expect(
        discoverFiles('o/single', `${hub.url}/o/single/resolve/main`, fetch),
      ).rejects.toMatchObject({
        code: 'download_failed',
      });
    } finally {
      hub.setOffline(false);
    }
  });
});
