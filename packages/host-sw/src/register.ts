/**
 * The page's side of the service worker: registers it, answers its `need-port` messages with fresh
 * ports to this page's engine worker, and resolves once the page is controlled, so that from then on
 * `fetch('/v1/...')` (and the openai SDK with `baseURL: location.origin + '/v1'`) answers locally.
 *
 *   const engine = connectEngine(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
 *   await registerCinder({ engine, serviceWorkerUrl: '/sw.js' });
 *
 * A page may also pass a function instead of an engine: it is called (once) only when the service
 * worker finds no other open page with an engine, so extra tabs share one engine until they must start
 * their own. A page without `engine` only uses other pages' engines.
 *
 * Plain `fetch` works, but Chromium hides from the service worker an abort that comes before the
 * response exists; the returned `fetch` (abortable-fetch.ts) tells it, so such aborts stop generation too.
 */
import { createAbortableFetch } from './abortable-fetch.ts';
import type { FetchFunction, PortSource } from './create-fetch.ts';
import type { NeedPortMessage, NeedPortReply } from './sw-types.ts';

export interface RegisterCinderOptions {
  readonly engine?: PortSource | (() => PortSource | Promise<PortSource>);
  readonly serviceWorkerUrl: string | URL;
  readonly scope?: string;
  /** `module` for an ES-module service worker script. Default `classic`. */
  readonly type?: WorkerType;
  /** How long to wait until the service worker controls this page (ms). Default 10000. */
  readonly controlTimeoutMs?: number;
}

export interface CinderRegistration {
  readonly registration: ServiceWorkerRegistration;
  /** `fetch` whose aborts stop the engine's work even before the response exists (pass it to SDKs). */
  readonly fetch: FetchFunction;
  /** Whether this page runs an engine (given, or started on the service worker's request). */
  hasEngine(): boolean;
  /** Stop answering the service worker (the registration stays). */
  dispose(): void;
}

export async function registerCinder(options: RegisterCinderOptions): Promise<CinderRegistration> {
  const container = globalThis.navigator?.serviceWorker;
  if (!container) {
    throw new Error(
      'Service workers are not available here: the page must be a secure context (https or localhost).',
    );
  }
  const start = typeof options.engine === 'function' ? options.engine : null;
  let engine: Promise<PortSource> | null =
    options.engine && typeof options.engine !== 'function' ? Promise.resolve(options.engine) : null;

  const onMessage = (event: MessageEvent) => {
    const data = event.data as NeedPortMessage | null;
    const reply = event.ports[0];
    if (data?.type !== 'cinder:need-port' || !reply) return;
    const answer = (message: NeedPortReply, transfer: Transferable[] = []) =>
      reply.postMessage(message, transfer);
    if (!engine && data.start && start) {
      const starting = Promise.resolve().then(start);
      engine = starting;
      starting.catch(() => {
        if (engine === starting) engine = null; // let a later request try again
      });
    }
    if (!engine) {
      answer({ type: 'cinder:no-engine' });
      return;
    }
    engine
      .then((source) => source.connectHttp())
      .then(
        (port) => answer({ type: 'cinder:port', port }, [port]),
        () => answer({ type: 'cinder:no-engine' }),
      );
  };
  // Listen before registering: a restarted service worker may ask at any time.
  container.addEventListener('message', onMessage);
  container.startMessages();

  const registration = await container.register(options.serviceWorkerUrl, {
    scope: options.scope,
    type: options.type ?? 'classic',
  });
  await whenControlled(container, options.controlTimeoutMs ?? 10_000);
  return {
    registration,
    fetch: createAbortableFetch(container),
    hasEngine: () => engine !== null,
    dispose: () => container.removeEventListener('message', onMessage),
  };
}

async function whenControlled(container: ServiceWorkerContainer, timeoutMs: number): Promise<void> {
  if (container.controller) return;
  const changed = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`The cinder service worker did not take control of this page within ${timeoutMs} ms.`),
        ),
      timeoutMs,
    );
    container.addEventListener(
      'controllerchange',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
  // Loaded without a controller while one is already active (e.g. a hard reload): ask it to claim us.
  const ready = await container.ready;
  if (!container.controller) ready.active?.postMessage({ type: 'cinder:claim' });
  await changed;
}
