/**
 * The WebLLM e2e page: starts the engine worker and reaches it over HTTP with createFetch (the same
 * handler the service worker would use). Tests drive it through `window.webllmTest`.
 */
import { createFetch } from '../../packages/host-sw/src/index.ts';
import { connectEngine } from '../../packages/host-worker/src/index.ts';

const engine = connectEngine(new Worker('./worker.js', { type: 'module' }));
const fetchV1 = createFetch(engine);

export interface HttpResult {
  readonly status: number;
  readonly body: unknown;
  /** Milliseconds from the request to the full body. */
  readonly ms: number;
}

async function request(method: string, path: string, body?: unknown): Promise<HttpResult> {
  const started = performance.now();
  const response = await fetchV1(`${location.origin}/v1${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: response.status, body: parsed, ms: Math.round(performance.now() - started) };
}

const api = {
  request,
  /** Whether this browser gives WebGPU (and shader-f16) to pages. */
  async gpu(): Promise<{ adapter: boolean; shaderF16: boolean }> {
    const gpu = (navigator as { gpu?: { requestAdapter(): Promise<{ features: Set<string> } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter().catch(() => null);
    return { adapter: Boolean(adapter), shaderF16: adapter?.features.has('shader-f16') ?? false };
  },
  loaded: () => engine.loadedModels(),
};
export type WebLlmTestApi = typeof api;
(globalThis as unknown as { webllmTest: WebLlmTestApi }).webllmTest = api;
