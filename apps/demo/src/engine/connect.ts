/**
 * The one place the app meets the browser hosts (@cinder/host-worker, @cinder/host-sw). It starts the
 * engine worker, registers the service worker that answers `fetch('/v1/...')` from it, and hands the
 * app an official `openai` client whose baseURL is this origin's `/v1`: every chat request goes
 * through the SDK and the service worker, and is answered on this device.
 *
 * Without a service worker (the Vite dev server, or a browser that refuses one) the same client gets
 * a `fetch` that talks to the worker directly: same SDK, same HTTP semantics, no offline start.
 */
import { createFetch, type FetchFunction, registerCinder } from '@cinder/host-sw';
import { connectEngine } from '@cinder/host-worker';
import OpenAI from 'openai';

export interface RuntimeInfo {
  /** `webgpu`, `wllama` (llama.cpp in WebAssembly) or `cpu`. */
  readonly backend: string;
  /** Why, e.g. `no WebGPU adapter`. */
  readonly reason: string;
}

export interface LoadProgress {
  readonly loaded: number;
  readonly total: number | null;
}

export interface EngineConnection {
  readonly openai: OpenAI;
  /** How requests reach the engine: through the service worker, or straight to the worker. */
  readonly transport: 'service-worker' | 'direct';
  /** Why there is no service worker (then the app cannot start offline). */
  readonly serviceWorkerProblem: string | null;
  runtime(): Promise<RuntimeInfo>;
  /** Loads a stored model into the engine now, so the first reply does not wait for it. */
  preload(id: string, onProgress?: (progress: LoadProgress) => void): Promise<void>;
  /** Frees the model's memory (its files stay stored). */
  unload(id: string): Promise<void>;
  /** Frees the model and forgets its stored files. */
  deleteModel(id: string): Promise<void>;
}

export async function connect(): Promise<EngineConnection> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), {
    type: 'module',
    name: 'cinder-engine',
  });
  const engine = connectEngine(worker);

  let serviceWorkerProblem: string | null = null;
  // The registration's fetch tells the service worker about aborts that come before the response
  // exists, so Stop also ends a non-streaming request's generation.
  let swFetch: FetchFunction | undefined;
  if (!__SERVICE_WORKER__) serviceWorkerProblem = 'the Vite dev server runs without the service worker';
  else {
    try {
      const registration = await registerCinder({
        engine,
        serviceWorkerUrl: new URL('/sw.js', location.href),
      });
      swFetch = registration.fetch;
    } catch (cause) {
      serviceWorkerProblem = cause instanceof Error ? cause.message : String(cause);
    }
  }

  const openai = new OpenAI({
    baseURL: new URL('/v1', location.href).href,
    apiKey: 'on-device', // nothing leaves the device; the SDK only insists on having one
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: swFetch ?? createFetch(engine),
  });

  let runtime: Promise<RuntimeInfo> | null = null;
  return {
    openai,
    transport: serviceWorkerProblem ? 'direct' : 'service-worker',
    serviceWorkerProblem,
    runtime() {
      runtime ??= new Promise((resolve) => {
        const { port1, port2 } = new MessageChannel();
        port1.onmessage = (event: MessageEvent<RuntimeInfo>) => resolve(event.data);
        worker.postMessage({ type: 'demo:runtime' }, [port2]);
      });
      return runtime;
    },
    async preload(id, onProgress) {
      await engine.loadModel(id, {
        onProgress:
          onProgress && ((progress) => onProgress({ loaded: progress.loaded, total: progress.total })),
      });
    },
    async unload(id) {
      await engine.unloadModel(id);
    },
    deleteModel: (id) => engine.deleteModel(id),
  };
}
