/**
 * `loadWebLlm`: a real WebLLM `MLCEngine` with `modelId` loaded (what `CreateMLCEngine` does:
 * `new MLCEngine(config)` then `reload(modelId)`, kept apart here so the engine can be unloaded,
 * which aborts the reload, on abort or stall).
 *
 * - Checked before anything is fetched: the model is in the app config (404), WebGPU exists (503).
 * - Progress: WebLLM reports `{progress, timeElapsed, text}`; `progress` is fetched / total bytes
 *   of the weights, and the text carries the fetched amount rounded up to whole MB
 *   ("Fetching param cache[3/24]: 120MB fetched. 40% completed, …"). So `loaded` is that MB figure in
 *   bytes and `total` is `loaded / progress`: both accurate to about 1 MB, never invented. Reports
 *   without an amount (start, "Finish loading on …") give `loaded: 0, total: null` and their text.
 * - WebLLM can wait forever (a fetch that never ends, a lost device during reload): with no
 *   progress for `stallTimeoutMs` the load is abandoned with a 504.
 * - Every failure is an ApiError (errors.ts): missing model library, no WebGPU, shader-f16 missing,
 *   device lost, fetch / integrity / quota failures.
 */

import type { LoadProgress } from '@cinder/engine';
import { ApiError } from '@cinder/protocol';
import {
  type AppConfig,
  type InitProgressReport,
  MLCEngine,
  type MLCEngineConfig,
  prebuiltAppConfig,
} from '@mlc-ai/web-llm';
import { defaultGpu } from './catalog.ts';
import { toApiError } from './errors.ts';
import type { WebLlmEngineLike } from './webllm-types.ts';

/** What loading needs of an engine; `MLCEngine` has it. */
export interface WebLlmLoadable extends WebLlmEngineLike {
  reload(modelId: string): Promise<void>;
}

export interface LoadWebLlmOptions {
  readonly appConfig?: AppConfig;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly signal?: AbortSignal;
  /** Give up when WebLLM reports nothing for this long. Default 5 minutes. */
  readonly stallTimeoutMs?: number;
  /** Makes the engine; default `new MLCEngine(config)` (tests pass a stand-in). */
  readonly createEngine?: (config: MLCEngineConfig) => WebLlmLoadable;
  /** Skip the `navigator.gpu` check (a stand-in engine needs no GPU). */
  readonly skipWebGpuCheck?: boolean;
}

const DEFAULT_STALL_MS = 5 * 60_000;
const AMOUNT = /\]: (\d+)MB (?:fetched|loaded)/;
const STAGE = /^(Fetching param cache|Loading model from cache)\[(\d+)\/(\d+)\]/;

export function mapInitProgress(report: InitProgressReport): LoadProgress {
  const amount = AMOUNT.exec(report.text);
  const stage = STAGE.exec(report.text);
  const file = stage ? `params_shard ${stage[2]}/${stage[3]}` : report.text;
  if (!amount) return { loaded: 0, total: null, file };
  const loaded = Number(amount[1]) * 1024 * 1024;
  const total = report.progress > 0 ? Math.round(loaded / report.progress) : null;
  return { loaded, total, file };
}

export async function loadWebLlm(
  modelId: string,
  options: LoadWebLlmOptions = {},
): Promise<WebLlmEngineLike> {
  const appConfig = options.appConfig ?? prebuiltAppConfig;
  const { signal } = options;
  signal?.throwIfAborted();
  if (!appConfig.model_list.some((r) => r.model_id === modelId)) {
    throw new ApiError(404, `The WebLLM model '${modelId}' is not in the app config.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  if (!options.skipWebGpuCheck && !defaultGpu()) {
    throw new ApiError(503, 'WebLLM needs WebGPU, which this browser does not provide.', {
      code: 'webgpu_unavailable',
    });
  }
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const armStallTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(
      () =>
        fail(
          new ApiError(504, `Loading '${modelId}' made no progress for ${Math.round(stallMs / 1000)} s.`, {
            type: 'server_error',
            code: 'load_stalled',
          }),
        ),
      stallMs,
    );
  };
  const config: MLCEngineConfig = {
    appConfig,
    logLevel: 'WARN',
    initProgressCallback: (report) => {
      armStallTimer();
      options.onProgress?.(mapInitProgress(report));
    },
  };
  const engine = (options.createEngine ?? ((c) => new MLCEngine(c)))(config);
  const onAbort = () => fail(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  armStallTimer();
  try {
    await Promise.race([engine.reload(modelId), failed]);
    return engine;
  } catch (cause) {
    void engine.unload().catch(() => {});
    if (signal?.aborted) throw signal.reason;
    throw toApiError(cause);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
