import type { ModelSource } from '@cinder/model-format';
import type { FileCache } from './file-cache.ts';
import type { Metadata } from './metadata.ts';
import { ModelStoreError } from './model-store-error.ts';

/**
 * A stored model as a `ModelSource`, read from Cache Storage with no network: the runtimes load
 * from it offline. Ranges are slices of the cached Blob (which the browser keeps on disk), so a
 * tensor read does not pull in the whole file. Throws `model_not_found` / `model_not_ready` when the
 * model is not in the store or not ready; a file the model does not have is null.
 */
export function cachedModelSource(id: string, metadata: Metadata, cache: FileCache): ModelSource {
  const blobs = new Map<string, Promise<Blob | null>>();

  async function load(name: string): Promise<Blob | null> {
    const record = await metadata.get(id);
    if (!record) throw new ModelStoreError('model_not_found', `Model ${id} is not in the model store`);
    if (record.status !== 'ready') {
      throw new ModelStoreError('model_not_ready', `Model ${id} is not ready: its download has not finished`);
    }
    const file = record.files.find((entry) => entry.name === name);
    if (!file) return null;
    const response = await cache.complete(file.url);
    if (!response) {
      throw new ModelStoreError(
        'model_not_found',
        `Model ${id}: ${name} is missing from storage (the browser may have evicted it); download the model again`,
      );
    }
    return response.blob();
  }

  function blobOf(name: string): Promise<Blob | null> {
    let blob = blobs.get(name);
    if (!blob) {
      blob = load(name);
      blobs.set(name, blob);
      blob.catch(() => blobs.delete(name)); // failures are not remembered
    }
    return blob;
  }

  return {
    id,
    async file(name, options = {}) {
      options.signal?.throwIfAborted();
      const blob = await blobOf(name);
      if (!blob) return null;
      const type = name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      if (!options.range) {
        return new Response(blob, { headers: { 'content-type': type, 'content-length': String(blob.size) } });
      }
      const [start, end] = options.range;
      const last = Math.min(end, blob.size);
      return new Response(blob.slice(start, last), {
        status: 206,
        headers: { 'content-type': type, 'content-range': `bytes ${start}-${last - 1}/${blob.size}` },
      });
    },
  };
}
