/**
 * The test app's page. It uses the official `openai` package against `${location.origin}/v1`, which the
 * service worker answers from an engine worker. Query parameters pick the tab's role:
 *   engine=eager  (default) start an engine worker now
 *   engine=lazy   start one only when the service worker finds no other tab with an engine
 *   engine=none   never run an engine (use other tabs')
 *   sw=0          no service worker; requests go through createFetch(engine) instead
 * Tests drive it through `window.app` (page.evaluate).
 */
import OpenAI from 'openai';
import { type CinderRegistration, createFetch, registerCinder } from '../../packages/host-sw/src/index.ts';
import { connectEngine, type EngineClient } from '../../packages/host-worker/src/index.ts';
import { createModelStore } from '../../packages/model-store/src/index.ts';
import {
  type BenchPath,
  type BenchResults,
  type BenchRoundsOptions,
  type BenchRun,
  benchRequestInit,
  benchRounds,
  floorRun,
  sseTokenTimes,
} from './bench-timing.ts';

const query = new URLSearchParams(location.search);
const mode = query.get('engine') ?? 'eager';
const useServiceWorker = query.get('sw') !== '0';

let worker: Worker | null = null;
let engine: EngineClient | null = null;

function startEngine(): EngineClient {
  // `?gpu=1` lets the worker use WebGPU even on SwiftShader (the product keeps the CPU runtime there).
  // `?coalesce=<ms>` is passed on too (serveHttpPort's chunk coalescing, for the SW benchmark).
  const workerQuery = new URLSearchParams();
  if (query.get('gpu')) workerQuery.set('gpu', '1');
  if (query.has('coalesce')) workerQuery.set('coalesce', query.get('coalesce') ?? '');
  worker ??= new Worker(`./worker.js${workerQuery.size ? `?${workerQuery}` : ''}`, { type: 'module' });
  engine ??= connectEngine(worker);
  return engine;
}
if (mode === 'eager') startEngine();

let registration: CinderRegistration | null = null;

const ready = (async () => {
  if (!useServiceWorker) return;
  registration = await registerCinder({
    engine: mode === 'eager' ? startEngine() : mode === 'lazy' ? startEngine : undefined,
    serviceWorkerUrl: '/sw.js',
    type: 'module',
  });
})();

const openai = new OpenAI({
  baseURL: `${location.origin}/v1`,
  apiKey: 'not-needed',
  dangerouslyAllowBrowser: true,
  fetch: useServiceWorker ? undefined : createFetch(startEngine()),
});

type Body = Record<string, unknown>;

interface ErrorInfo {
  name: string;
  message: string;
  status?: number;
  type?: string;
  code?: string | null;
  param?: string | null;
}

function errorInfo(cause: unknown): ErrorInfo {
  const error = cause as ErrorInfo & { constructor?: { name?: string } };
  return {
    name: error?.constructor?.name ?? 'unknown',
    message: String(error?.message ?? cause),
    status: error?.status,
    type: error?.type,
    code: error?.code,
    param: error?.param,
  };
}

/** A stream running in the page; tests poll it and act mid-stream. */
interface Run {
  text: string;
  chunks: number;
  finishReason: string | null;
  done: boolean;
  error: ErrorInfo | null;
  abort(): void;
}
const runs = new Map<string, Run>();

/** A fresh run under `id`, aborted through its controller. */
function newRun(id: string): { run: Run; controller: AbortController } {
  const controller = new AbortController();
  const run: Run = {
    text: '',
    chunks: 0,
    finishReason: null,
    done: false,
    error: null,
    abort: () => controller.abort(),
  };
  runs.set(id, run);
  return { run, controller };
}

function startStream(id: string, body: Body): void {
  const { run, controller } = newRun(id);
  void (async () => {
    try {
      const stream = await openai.chat.completions.create(
        { ...(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming), stream: true },
        { signal: controller.signal },
      );
      for await (const chunk of stream) {
        run.chunks++;
        run.text += chunk.choices[0]?.delta?.content ?? '';
        run.finishReason = chunk.choices[0]?.finish_reason ?? run.finishReason;
      }
    } catch (cause) {
      run.error = errorInfo(cause);
    } finally {
      run.done = true;
    }
  })();
}

/**
 * A non-streaming completion running in the page, through the service worker, abortable by tests.
 * `fetch: 'cinder'` uses registerCinder's fetch (aborts reach the engine before the response exists);
 * `'plain'` the browser's own.
 */
function startCompletion(id: string, body: Body, fetchWith: 'cinder' | 'plain' = 'cinder'): void {
  const { run, controller } = newRun(id);
  const client = new OpenAI({
    baseURL: `${location.origin}/v1`,
    apiKey: 'not-needed',
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: fetchWith === 'cinder' ? registration?.fetch : undefined,
  });
  void (async () => {
    try {
      const completion = await client.chat.completions.create(
        { ...(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming), stream: false },
        { signal: controller.signal },
      );
      run.text = completion.choices[0]?.message?.content ?? '';
      run.finishReason = completion.choices[0]?.finish_reason ?? null;
    } catch (cause) {
      run.error = errorInfo(cause);
    } finally {
      run.done = true;
    }
  })();
}

function runState(id: string) {
  const run = runs.get(id);
  if (!run) throw new Error(`no run ${id}`);
  const { abort: _, ...state } = run;
  return state;
}

/** The step counter of this tab's engine worker (null: this tab runs no engine). */
function steps(): Promise<number | null> {
  if (!worker) return Promise.resolve(null);
  const { port1, port2 } = new MessageChannel();
  const answer = new Promise<number>((resolve) => {
    port1.onmessage = (event) => resolve(event.data as number);
  });
  worker.postMessage({ type: 'test:steps' }, [port2]);
  return answer;
}

/** Which runtime this tab's engine worker chose: its backend and why. */
function runtimeChoice(): Promise<{ backend: string; reason: string } | null> {
  if (!worker) return Promise.resolve(null);
  const { port1, port2 } = new MessageChannel();
  const answer = new Promise<{ backend: string; reason: string }>((resolve) => {
    port1.onmessage = (event) => resolve(event.data as { backend: string; reason: string });
  });
  worker.postMessage({ type: 'test:runtime' }, [port2]);
  return answer;
}

/** One benchmark run through the service worker: raw fetch, SSE split and parsed in the page. */
async function benchThroughServiceWorker(body: Body): Promise<BenchRun> {
  const started = performance.now();
  const response = await fetch('/v1/chat/completions', benchRequestInit(body));
  return sseTokenTimes(started, response);
}

/**
 * Streams through the service worker and reads the engine's step counter when the first token arrives:
 * if the response were buffered, generation would already be over by then.
 */
async function stepsAtFirstToken(body: Body): Promise<{ before: number; atFirst: number; after: number }> {
  const before = (await steps()) ?? 0;
  const response = await fetch('/v1/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let atFirst = -1;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    if (atFirst < 0 && value.includes('"token_ids":[')) atFirst = ((await steps()) ?? 0) - before;
  }
  return { before, atFirst, after: ((await steps()) ?? 0) - before };
}

/** The comlink client directly (no HTTP at all): a completion, a stream's text, and an error. */
async function viaComlink(body: Body) {
  const client = startEngine();
  const params = body as unknown as Parameters<typeof client.chat.completions.create>[0];
  const completion = await client.chat.completions.create({ ...params, stream: false });
  const stream = await client.chat.completions.create({ ...params, stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  const error = await client.chat.completions.create({ ...params, model: 'missing' }).then(
    () => null,
    (cause: unknown) => ({ ...errorInfo(cause), isApiError: (cause as Error).name === 'ApiError' }),
  );
  return { completion: completion.choices[0].message.content, stream: text, error };
}

/**
 * A benchmark run inside the engine worker, no service worker involved: `direct` calls the engine,
 * `handler` sends the same request through the HTTP handler there and reads its SSE as the page would.
 */
function benchInWorker(path: 'direct' | 'handler', body: Body): Promise<BenchRun> {
  const target = startEngine() && worker!;
  const { port1, port2 } = new MessageChannel();
  const answer = new Promise<BenchRun>((resolve) => {
    port1.onmessage = (event) => resolve(event.data as BenchRun);
  });
  target.postMessage({ type: `test:bench-${path}`, params: body }, [port2]);
  return answer;
}

const benchDirect = (body: Body) => benchInWorker('direct', body);
const benchHandler = (body: Body) => benchInWorker('handler', body);

/** All rounds of the service-worker benchmark, run from this page. */
function benchAll(options: BenchRoundsOptions): Promise<BenchResults> {
  return benchRounds(
    options,
    (path: BenchPath, body) => (path === 'sw' ? benchThroughServiceWorker(body) : benchInWorker(path, body)),
    floorRun,
  );
}

const app = {
  ready,
  hasEngine: () => engine !== null,
  controlled: () => navigator.serviceWorker?.controller != null,
  async complete(body: Body) {
    return openai.chat.completions.create({
      ...(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming),
      stream: false,
    });
  },
  /** Runs a request that should fail; the SDK's error as plain data (null if it did not fail). */
  async failure(body: Body): Promise<ErrorInfo | null> {
    try {
      await openai.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
      return null;
    } catch (cause) {
      return errorInfo(cause);
    }
  },
  /** Downloads a model into the model store (Cache Storage), where the engine worker finds it. */
  async download(ref: string) {
    const info = await createModelStore({ hubBase: location.origin }).download(ref);
    return { id: info.id, status: info.status, bytes: info.bytes };
  },
  /** What the model store says of a model (files, derived files' bytes, updatedAt), or null. */
  storedModel(id: string) {
    return createModelStore({ hubBase: location.origin }).get(id);
  },
  async models() {
    return (await openai.models.list()).data.map((model) => model.id);
  },
  /** Plain fetch, for statuses and headers as a non-SDK client sees them. */
  async raw(path: string, init: RequestInit = {}) {
    const response = await fetch(path, init);
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.text(),
    };
  },
  startStream,
  startCompletion,
  run: runState,
  abort: (id: string) => runs.get(id)?.abort(),
  steps,
  runtimeChoice,
  stepsAtFirstToken,
  viaComlink,
  benchThroughServiceWorker,
  benchDirect,
  benchHandler,
  benchAll,
};

(globalThis as unknown as { app: typeof app }).app = app;

export type App = typeof app;

// `?bench=<BenchRoundsOptions as JSON>&report=<url>`: run the benchmark unattended (no DevTools client
// attached, see packages/bench/src/sw-bench-native.ts) and POST the results (or the error) as JSON.
const benchOptions = query.get('bench');
const report = query.get('report');
if (benchOptions && report) {
  void ready
    .then(async () => {
      if (!navigator.serviceWorker.controller) {
        location.reload(); // not controlled after all: a reload always is
        return;
      }
      const results = await benchAll(JSON.parse(benchOptions) as BenchRoundsOptions);
      await fetch(report, { method: 'POST', body: JSON.stringify({ results }) });
    })
    .catch((cause: unknown) =>
      fetch(report, { method: 'POST', body: JSON.stringify({ error: String(cause) }) }),
    );
}
