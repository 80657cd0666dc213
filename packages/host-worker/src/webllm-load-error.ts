/**
 * A WebLLM load that failed, as an error a user can act on. WebLLM's own messages name the step that
 * broke rather than the file (`Failed to execute 'add' on 'Cache': Request failed`, a wasm compile
 * error for an HTML 404 page), so after a failure we ask the model's URLs which one is missing.
 * Request errors (4xx) and aborts pass through unchanged.
 */
import { ApiError, isAbortError } from '@cinder/protocol';
import type { WebLlmModelRecord } from './webllm-binding.ts';

export async function webLlmLoadError(
  record: WebLlmModelRecord | undefined,
  cause: unknown,
  fetchFn: typeof fetch = (input, init) => fetch(input, init),
): Promise<unknown> {
  if (isAbortError(cause) || (cause instanceof ApiError && cause.status < 500)) return cause;
  const id = record?.model_id ?? 'unknown';
  const detail = cause instanceof Error ? cause.message : String(cause);
  const missing = record ? await missingFile(record, fetchFn) : null;
  if (missing) {
    const message = `WebLLM could not load the model '${id}': its ${missing} (${detail}).`;
    return new ApiError(500, message, { type: 'server_error', code: 'model_load_failed' });
  }
  if (cause instanceof ApiError) return cause;
  const message = `WebLLM could not load the model '${id}': ${detail}`;
  return new ApiError(500, message, { type: 'server_error', code: 'model_load_failed' });
}

/** Which of the model's files cannot be fetched, e.g. `model library https://.../x.wasm answered HTTP 404`. */
async function missingFile(record: WebLlmModelRecord, fetchFn: typeof fetch): Promise<string | null> {
  const files: [string, string][] = [
    ['model library', absolute(record.model_lib)],
    ['chat config', new URL('mlc-chat-config.json', weightsUrl(record.model)).href],
  ];
  for (const [what, url] of files) {
    const problem = await probe(url, fetchFn);
    if (problem) return `${what} ${url} ${problem}`;
  }
  return null;
}

/** Null when `url` can be fetched, else what went wrong. Never throws; gives up after 10 s. */
async function probe(url: string, fetchFn: typeof fetch): Promise<string | null> {
  try {
    const response = await fetchFn(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    return response.ok ? null : `answered HTTP ${response.status}`;
  } catch (cause) {
    return `could not be fetched (${cause instanceof Error ? cause.message : String(cause)})`;
  }
}

/** Where WebLLM reads a model's files: `https://huggingface.co/o/m` means `.../o/m/resolve/main/`. */
function weightsUrl(model: string): string {
  const url = absolute(model.endsWith('/') ? model : `${model}/`);
  return /.+\/resolve\/.+\//.test(url) ? url : `${url}resolve/main/`;
}

function absolute(url: string): string {
  return new URL(url, (globalThis as { location?: { href: string } }).location?.href).href;
}
