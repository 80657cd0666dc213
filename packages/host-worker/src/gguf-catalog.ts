/**
 * GGUF models (one `.gguf` file, no safetensors) in the catalog: a Hub repo plus a file name, or the
 * file's URL. They are downloaded by our model store (Cache Storage: progress, resume, quota, offline),
 * not by wllama's own cache, and always run on wllama (see choose-runtime.ts).
 *
 *   combineCatalogs(
 *     ggufCatalog({ 'smollm2-q8': { repo: 'owner/SmolLM2-135M-GGUF', file: 'model-q8_0.gguf' } }),
 *     storeCatalog(createModelStore()),
 *   )
 *
 * The store downloads Hugging Face-layout models (config.json, tokenizer.json, safetensors). A GGUF
 * repo is made to look like one by the store's `fetch` (ggufStoreFetch): config.json, tokenizer.json
 * and the other small files are synthesized from the GGUF's metadata, and the weights index names the
 * GGUF as the only weights file, so the store fetches, resumes and verifies it like any shard.
 */
import { type ModelSource, urlModelSource } from '@cinder/model-format';
import { createModelStore, type ModelStore, type ModelStoreOptions } from '@cinder/model-store';
import { ggufModelSource } from './gguf-deps.ts';
import { ggufOnlySource } from './gguf-source.ts';
import { hubModelUrl, type ModelCatalog } from './model-catalog.ts';

/** Where a GGUF model is: a Hub repo and a file in it, or the file's URL. */
export type GgufRef =
  | { readonly repo: string; readonly file: string; readonly revision?: string }
  | { readonly url: string };

/** A GGUF model's base URL (its folder) and file name. */
export interface GgufLocation {
  readonly baseUrl: string;
  readonly file: string;
}

export interface GgufCatalogOptions extends Omit<ModelStoreOptions, 'fetch'> {
  /** Fetches the files (default: `fetch`). */
  readonly fetch?: typeof fetch;
}

/** Files the model store asks for that we synthesize from the GGUF's metadata. */
const SYNTHESIZED = [
  'config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'generation_config.json',
  'special_tokens_map.json',
];
const WEIGHTS_INDEX = 'model.safetensors.index.json';

export function ggufLocation(ref: GgufRef, hubBase = 'https://huggingface.co'): GgufLocation {
  if ('url' in ref) {
    const url = new URL(ref.url, (globalThis as { location?: { href: string } }).location?.href);
    const slash = url.pathname.lastIndexOf('/');
    const file = decodeURIComponent(url.pathname.slice(slash + 1));
    return { baseUrl: new URL('.', url).href.replace(/\/+$/, ''), file };
  }
  return { baseUrl: hubModelUrl(ref.repo, hubBase, ref.revision).replace(/\/+$/, ''), file: ref.file };
}

/**
 * The model store's fetch for GGUF models at `models` (base URL -> GGUF file name): requests for
 * their Hugging Face-layout files are answered here, everything else goes to the network.
 */
export function ggufStoreFetch(
  models: ReadonlyMap<string, string>,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
): typeof fetch {
  const synthesized = new Map<string, Promise<Uint8Array | null>>();
  const bytesOf = (baseUrl: string, file: string, name: string) => {
    const key = `${baseUrl}/${name}`;
    let bytes = synthesized.get(key);
    if (!bytes) {
      bytes = synthesize(baseUrl, file, name, fetchFn);
      synthesized.set(key, bytes);
      bytes.catch(() => synthesized.delete(key));
    }
    return bytes;
  };
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const slash = url.lastIndexOf('/');
    const baseUrl = url.slice(0, slash);
    const name = decodeURIComponent(url.slice(slash + 1));
    const file = models.get(baseUrl);
    if (file === undefined || name === file) return fetchFn(input, init);
    init?.signal?.throwIfAborted();
    const bytes = await bytesOf(baseUrl, file, name);
    if (!bytes) return new Response('Entry not found', { status: 404 });
    return rangeResponse(bytes, new Headers(init?.headers).get('range'));
  };
}

async function synthesize(
  baseUrl: string,
  file: string,
  name: string,
  fetchFn: typeof fetch,
): Promise<Uint8Array | null> {
  if (name === WEIGHTS_INDEX) {
    const index = {
      metadata: { format: 'gguf', note: 'the weights are one GGUF file' },
      weight_map: { gguf: file },
    };
    return new TextEncoder().encode(JSON.stringify(index));
  }
  if (!SYNTHESIZED.includes(name)) return null;
  const presented = ggufModelSource(urlModelSource(baseUrl, `${baseUrl}/`, fetchFn), file);
  const response = await presented.file(name);
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
}

/** The bytes as a static server sends them: 200, or 206 for `bytes=a-b` / `bytes=a-`. */
function rangeResponse(bytes: Uint8Array, range: string | null): Response {
  const match = /^bytes=(\d+)-(\d*)$/.exec(range ?? '');
  const body = (part: Uint8Array) => part.slice().buffer;
  if (!match) {
    return new Response(body(bytes), { headers: { 'content-length': String(bytes.length) } });
  }
  const start = Number(match[1]);
  const end = match[2] ? Math.min(Number(match[2]), bytes.length - 1) : bytes.length - 1;
  if (start >= bytes.length) {
    return new Response(null, { status: 416, headers: { 'content-range': `bytes */${bytes.length}` } });
  }
  return new Response(body(bytes.subarray(start, end + 1)), {
    status: 206,
    headers: {
      'content-range': `bytes ${start}-${end}/${bytes.length}`,
      'content-length': String(end - start + 1),
    },
  });
}

/** A model store that can download the GGUF models at `locations` (id -> where). */
export function ggufModelStore(
  locations: ReadonlyMap<string, GgufLocation>,
  options: GgufCatalogOptions = {},
): ModelStore {
  const files = new Map([...locations.values()].map((where) => [where.baseUrl, where.file]));
  return createModelStore({ ...options, fetch: ggufStoreFetch(files, options.fetch) });
}

/**
 * GGUF models by id. Listed whether stored or not (`runtime: 'wllama'`); a model that is not stored
 * yet is downloaded into the model store when it is first loaded (or ahead of time, with
 * `ggufModelStore(...).download({ id, url: baseUrl })`, which reports progress). Put it before
 * storeCatalog in combineCatalogs: the store lists GGUF models too, but only this catalog knows
 * they are GGUF.
 */
export function ggufCatalog(
  models: Readonly<Record<string, GgufRef>>,
  options: GgufCatalogOptions = {},
): ModelCatalog & { readonly store: ModelStore } {
  const locations = new Map(
    Object.entries(models).map(([id, ref]) => [id, ggufLocation(ref, options.hubBase)]),
  );
  const store = ggufModelStore(locations, options);
  return {
    store,
    async list() {
      return Promise.all(
        [...locations.keys()].map(async (id) => {
          const stored = await store.get(id);
          const ready = stored?.status === 'ready';
          return { id, runtime: 'wllama', sizeBytes: ready ? stored.bytes : null, cached: ready };
        }),
      );
    },
    async entry(id) {
      const where = locations.get(id);
      if (!where) return null;
      await store.download({ id, url: where.baseUrl });
      const source: ModelSource = store.source(id);
      return { kind: 'source', source: ggufOnlySource(source, where.file) };
    },
    async delete(id) {
      if (locations.has(id)) await store.delete(id);
    },
  };
}
