/**
 * `wllamaRuntime(options)`: the RuntimeFactory. `load(source)` reads the model's GGUF from the
 * ModelSource (our model store, never wllama's own downloader or cache), gives it the id vocabulary
 * (gguf-vocabulary.ts) and starts llama-server in wllama's worker:
 *
 *   - `parallel` slots (default 4), each holding a whole `contextLength` (non-unified KV);
 *   - KV cache f32 when the weights are f32 (logits match the CPU runtime to ~1e-5), else f16;
 *     flash attention off with an f32 cache (llama.cpp's CPU kernel rounds K/V to f16);
 *   - threads: wllama's multi-thread build runs only when the page is cross-origin isolated; then
 *     half of navigator.hardwareConcurrency (wllama's own rule), else 1;
 *   - no WebGPU offload by default (`gpuLayers`): hosts choose wllama where there is no usable GPU.
 *
 * The wasm (`@wllama/wllama/esm/wasm/wllama.wasm`) must be served by the app: `wasmUrl`.
 * The GGUF decides the weight type (ModelInfo.dtype: f32, f16, q8, q4, q4_k, ...);
 * RuntimeLoadOptions.dtype is not used. Progress is reported once, when the file is at hand.
 */
import type { ModelInfo, RuntimeFactory, RuntimeLoadOptions } from '@cinder/engine';
import type { ModelSource } from '@cinder/model-format';
import {
  type LoadModelParams,
  type RawCompletionChunk,
  type RawCompletionParams,
  type StreamParams,
  Wllama,
  type WllamaCompat,
} from '@wllama/wllama';
import { idVocabularyGguf } from './gguf-vocabulary.ts';
import { architectureOf, trainedContext, weightDtype } from './model-info.ts';
import { type CompletionBackend, WllamaRuntime } from './runtime.ts';

export interface WllamaRuntimeOptions {
  /** Where the app serves `@wllama/wllama/esm/wasm/wllama.wasm`. */
  readonly wasmUrl: string;
  /**
   * Which file of the source is the GGUF: a name, or a function of the source (e.g. host-worker's
   * `ggufFileOf`). Unset or null: the first of DEFAULT_GGUF_FILES the source has.
   */
  readonly ggufFile?: string | ((source: ModelSource) => string | null);
  /** llama-server slots: sequences evaluated in one decode. Default 4. */
  readonly parallel?: number;
  /** Default: half the logical cores when cross-origin isolated, else 1. */
  readonly threads?: number;
  /** KV cache type. Default: f32 for f32 weights, else f16. */
  readonly kvCache?: 'f32' | 'f16';
  /** Context when RuntimeLoadOptions gives none: min(this, the trained context). Default 4096. */
  readonly defaultContextLength?: number;
  /** Layers offloaded to WebGPU by wllama. Default 0. */
  readonly gpuLayers?: number;
  /** wllama's compat build (browsers without JSPI or Memory64). Default null: none, no CDN. */
  readonly compat?: WllamaCompat | null;
  /**
   * Most tokens per streamed completion for greedy device draws (lookahead.ts): llama-server then
   * decodes at wllama's own createCompletion speed, with exactly the tokens of one completion per
   * draw. Default DEFAULT_LOOKAHEAD (64); 0 or 1: one completion per draw.
   */
  readonly lookahead?: number;
  /** Tokens a stream may compute ahead of the engine's steps. Default DEFAULT_LOOKAHEAD_LEAD (8). */
  readonly lookaheadLead?: number;
  /**
   * Sampled (temperature > 0) device draws stream too. Faster, but tokens after a stream's first
   * are drawn by llama.cpp's RNG (seeded from the engine's uniform when the stream starts), not by
   * the engine's uniforms: a seed no longer gives the CPU runtime's tokens. Default false.
   */
  readonly sampledLookahead?: boolean;
  /** llama.cpp's log lines on the console. Default false. */
  readonly nativeLog?: boolean;
}

/** Names tried in order when `ggufFile` says nothing (host-worker's converted files included). */
export const DEFAULT_GGUF_FILES = [
  'model.gguf',
  'model-q8_0.gguf',
  'model-f16.gguf',
  'model-f32.gguf',
  'model-q4_0.gguf',
];

export function wllamaRuntime(options: WllamaRuntimeOptions): RuntimeFactory {
  return {
    backend: 'wllama',
    load: (source, loadOptions) => loadWllama(source, options, loadOptions),
  };
}

export async function loadWllama(
  source: ModelSource,
  options: WllamaRuntimeOptions,
  loadOptions: RuntimeLoadOptions = {},
): Promise<WllamaRuntime> {
  const { signal } = loadOptions;
  const { file, blob } = await ggufBlob(source, options, signal);
  loadOptions.onProgress?.({ loaded: blob.size, total: blob.size, file });
  const gguf = await idVocabularyGguf(blob, signal);
  const dtype = weightDtype(gguf.header);
  const trained = trainedContext(gguf.header) ?? Number.POSITIVE_INFINITY;
  const requested = loadOptions.contextLength ?? options.defaultContextLength ?? 4096;
  if (!(Number.isInteger(requested) && requested > 0)) {
    throw new RangeError(`contextLength must be a positive integer, got ${requested}`);
  }
  const contextLength = Math.min(requested, trained);
  const parallel = options.parallel ?? 4;
  const kvCache = options.kvCache ?? (dtype === 'f32' ? 'f32' : 'f16');
  signal?.throwIfAborted();

  const wllama = new Wllama(
    { default: options.wasmUrl },
    { suppressNativeLog: !options.nativeLog, logger: options.nativeLog ? console : quietLogger },
  );
  wllama.setCompat(options.compat ?? null);
  const params: LoadModelParams = {
    n_ctx: contextLength * parallel,
    n_parallel: parallel,
    kv_unified: false,
    n_threads: options.threads ?? defaultThreads(),
    n_gpu_layers: options.gpuLayers ?? 0,
    cache_type_k: kvCache,
    cache_type_v: kvCache,
    warmup: false,
    ...(kvCache === 'f32' ? { flash_attn: false } : {}),
  };
  await wllama.loadModel([gguf.blob], params);
  if (signal?.aborted) {
    await wllama.exit();
    signal.throwIfAborted();
  }
  const loaded = wllama.getLoadedContextInfo();
  const model: ModelInfo = {
    architecture: await architectureOf(source, gguf.header),
    vocabSize: loaded.n_vocab,
    contextLength,
    dtype,
    weightBytes: blob.size - gguf.header.dataOffset,
  };
  return new WllamaRuntime(completionBackend(wllama), model, {
    parallel,
    threads: wllama.getNumThreads(),
    lookahead: options.lookahead,
    lookaheadLead: options.lookaheadLead,
    sampledLookahead: options.sampledLookahead,
  });
}

function completionBackend(wllama: Wllama): CompletionBackend {
  return {
    complete: (body) =>
      explained(
        wllama.createCompletion({ ...body, stream: false } as unknown as RawCompletionParams & {
          stream: false;
        }),
      ),
    stream: (body, onChunk, signal) =>
      explained(
        wllama.createCompletion({
          ...body,
          stream: true,
          onData: onChunk,
          abortSignal: signal,
        } as unknown as RawCompletionParams & StreamParams<RawCompletionChunk>),
      ),
    exit: () => wllama.exit(),
  };
}

/**
 * llama-server's answer to a prompt character that is no token of the id vocabulary (an id at or
 * past the vocabulary size: SentencePiece falls back to byte tokens, which it does not have) is
 * "Failed to format input: unordered_map::at: key not found"; say so. Runtime.step checks ids
 * first, so only raw completions meet it.
 */
async function explained<T>(completion: Promise<T>): Promise<T> {
  try {
    return await completion;
  } catch (error) {
    if (error instanceof Error && /Failed to format input: unordered_map::at/.test(error.message)) {
      throw new RangeError(
        `${error.message} (the prompt has a character that is not a token of the id vocabulary: a token id at or past the vocabulary size)`,
        { cause: error },
      );
    }
    throw error;
  }
}

async function ggufBlob(
  source: ModelSource,
  options: WllamaRuntimeOptions,
  signal?: AbortSignal,
): Promise<{ file: string; blob: Blob }> {
  const named = typeof options.ggufFile === 'function' ? options.ggufFile(source) : options.ggufFile;
  const names = named ? [named] : DEFAULT_GGUF_FILES;
  for (const file of names) {
    const response = await source.file(file, { signal });
    if (response) return { file, blob: await response.blob() };
  }
  throw new Error(`Model ${source.id} has no GGUF file (looked for ${names.join(', ')})`);
}

function defaultThreads(): number {
  if (!globalThis.crossOriginIsolated) return 1;
  return Math.max(1, Math.floor((globalThis.navigator?.hardwareConcurrency ?? 1) / 2));
}

const quietLogger = {
  debug: () => {},
  log: () => {},
  warn: (...args: unknown[]) => console.warn(...args),
  error: (...args: unknown[]) => console.error(...args),
};
