import { etagOf, fileSizeOf, sha256FromEtag } from './http-headers.ts';
import { fileUrl } from './model-ref.ts';
import { isAbortError, ModelStoreError } from './model-store-error.ts';

/** A file of a model on the server, with what the server says about it. */
export interface RemoteFile {
  name: string;
  url: string;
  size: number;
  sha256: string | null;
  etag: string | null;
}

/** Files every model needs; `tokenizer.json` because the engine reads only the fast-tokenizer format. */
export const REQUIRED_FILES = ['config.json', 'tokenizer.json'];
/** Files taken when the server has them. */
export const OPTIONAL_FILES = [
  'generation_config.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'chat_template.json',
  'chat_template.jinja',
];
export const WEIGHTS_INDEX = 'model.safetensors.index.json';
export const SINGLE_WEIGHTS = 'model.safetensors';

/**
 * The file list of a model at `baseUrl`: the required and optional files above, and the weights:
 * the shards named by `model.safetensors.index.json` (plus the index itself) or `model.safetensors`.
 * Sizes and hashes come from a one-byte range request per file (the Hub answers with the size in
 * `Content-Range` and the LFS oid as ETag); optional files that 404 are left out, required ones that
 * 404 are an error.
 */
export async function discoverFiles(
  id: string,
  baseUrl: string,
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<RemoteFile[]> {
  const weights = await weightFiles(id, baseUrl, fetchFn, signal);
  const wanted = [...REQUIRED_FILES, ...weights, ...OPTIONAL_FILES];
  const probed = await Promise.all(wanted.map((name) => probe(id, baseUrl, name, fetchFn, signal)));
  const files: RemoteFile[] = [];
  for (const [i, file] of probed.entries()) {
    if (file) files.push(file);
    else if (!OPTIONAL_FILES.includes(wanted[i])) {
      throw new ModelStoreError('model_not_found', `Model ${id} has no ${wanted[i]} at ${baseUrl}`);
    }
  }
  return files;
}

async function weightFiles(
  id: string,
  baseUrl: string,
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<string[]> {
  const response = await request(id, fileUrl(baseUrl, WEIGHTS_INDEX), fetchFn, signal);
  if (!response) return [SINGLE_WEIGHTS];
  const index = (await response.json()) as { weight_map?: Record<string, string> };
  const shards = [...new Set(Object.values(index.weight_map ?? {}))].sort();
  if (shards.length === 0) {
    throw new ModelStoreError('model_not_found', `Model ${id}: ${WEIGHTS_INDEX} names no weight files`);
  }
  return [WEIGHTS_INDEX, ...shards];
}

/**
 * What the server says about one file, or null when it does not have it. Asks for its first byte,
 * as huggingface.js does: the `Content-Range` total is the exact size even where a HEAD would be
 * redirected or the body compressed, and a one-range `Range` header needs no CORS preflight.
 */
async function probe(
  id: string,
  baseUrl: string,
  name: string,
  fetchFn: typeof fetch,
  signal?: AbortSignal,
): Promise<RemoteFile | null> {
  const url = fileUrl(baseUrl, name);
  const response = await request(id, url, fetchFn, signal, { Range: 'bytes=0-0' });
  if (!response) return null;
  await response.body?.cancel();
  // An empty file cannot serve byte 0: 416 with `Content-Range: bytes */0`.
  const size = response.status === 416 ? emptyFileSize(response) : fileSizeOf(response);
  if (size === null) {
    throw new ModelStoreError('download_failed', `Model ${id}: the server does not say how big ${name} is`);
  }
  const etag = etagOf(response);
  return { name, url, size, etag, sha256: sha256FromEtag(etag) };
}

function emptyFileSize(response: Response): number | null {
  return response.headers.get('content-range')?.trim() === 'bytes */0' ? 0 : null;
}

/** A fetch that is null on 404, and a ModelStoreError on any other failure but 416. */
async function request(
  id: string,
  url: string,
  fetchFn: typeof fetch,
  signal?: AbortSignal,
  headers?: Record<string, string>,
): Promise<Response | null> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal, headers, cache: 'no-store' });
  } catch (cause) {
    if (isAbortError(cause)) throw cause;
    throw new ModelStoreError('download_failed', `Model ${id}: cannot reach ${url} (${String(cause)})`, {
      cause,
    });
  }
  if (response.status === 404) return null;
  if (response.status === 401 || response.status === 403) {
    throw new ModelStoreError(
      'model_not_found',
      `Model ${id}: ${url} answered HTTP ${response.status} (a private or gated repo needs a fetch that sends a token)`,
    );
  }
  if (!response.ok && response.status !== 416) {
    throw new ModelStoreError('download_failed', `Model ${id}: ${url} answered HTTP ${response.status}`);
  }
  return response;
}
