import { openSafetensors } from '@cinder/model-format';
import { expect, it } from 'vitest';
import { tensorRowChunks } from './tensor-chunks.ts';
import { dirSource, fixtureDirs } from './test-support.ts';

it('reads a tensor as whole-row chunks that concatenate to the tensor', async () => {
  const source = dirSource((await fixtureDirs()).get('tiny-smollm2')!, 'tiny-smollm2');
  const store = await openSafetensors(source);
  for (const name of ['model.embed_tokens.weight', 'model.norm.weight']) {
    const info = store.info(name);
    const chunks: Float32Array[] = [];
    for await (const chunk of tensorRowChunks(source, info, undefined, 1000)) chunks.push(chunk);
    const cols = info.shape.length > 1 ? info.shape[1] : info.shape[0];
    for (const chunk of chunks) expect(chunk.length % cols).toBe(0);
    const joined = new Float32Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      joined.set(chunk, at);
      at += chunk.length;
    }
    expect(joined).toEqual(await store.readF32(name));
    if (name === 'model.embed_tokens.weight')
      expect(chunks.length).toBe(Math.ceil(323 / Math.floor(1000 / 96)));
  }
});
