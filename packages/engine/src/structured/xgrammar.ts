/**
 * Loads `@mlc-ai/web-xgrammar` (the xgrammar C++ library compiled to wasm, inlined in its JS) once,
 * in a browser worker and in Node alike, and turns its failures into readable errors.
 *
 * Three quirks of the 0.1.27 bundle are handled here and nowhere else:
 * - It is a UMD file inside a `"type": "module"` package. Bundlers that convert it expose named
 *   exports; Node's ESM loader runs it as a script that assigns `globalThis.xgrammar`.
 * - Its Emscripten glue, outside a browser, computes its own URL with `require('url')` and
 *   `__filename`, which do not exist in an ES module. It takes `location.href` instead when a
 *   `location` exists, so one is lent to it while it loads.
 * - A bad schema, regex or grammar makes the C++ side print `[FATAL] file.cc:123: <reason>` to
 *   `console.error` (bound when the wasm is instantiated) and abort with a useless message. The
 *   printer is routed through `lastFatal` so callers can report the reason (and it stays out of logs).
 * - Its only synchronous way to read a token bitmask is one embind call per 32 tokens (2 ms at a
 *   151k vocabulary). The wasm memory is caught as the module is instantiated, so the mask can be
 *   copied straight out of it (see wasm-vector.ts).
 */
export type Xgrammar = typeof import('@mlc-ai/web-xgrammar');

/** A schema, regex, grammar or structural tag that xgrammar refused; `message` says why. */
export class GrammarError extends Error {
  override readonly name = 'GrammarError';
}

let loading: Promise<Xgrammar> | null = null;
let lastFatal: string | null = null;
let memory: WebAssembly.Memory | null = null;

/** xgrammar's wasm memory, once loaded (null if it could not be caught). */
export function xgrammarMemory(): WebAssembly.Memory | null {
  return memory;
}

export function loadXgrammar(): Promise<Xgrammar> {
  loading ??= load();
  return loading;
}

async function load(): Promise<Xgrammar> {
  const scope = globalThis as { location?: { href: string }; xgrammar?: Xgrammar };
  const lendLocation = typeof document === 'undefined' && scope.location === undefined;
  const originalError = console.error;
  const originalInstantiate = WebAssembly.instantiate;
  console.error = routeErrors(originalError);
  WebAssembly.instantiate = catchMemory(originalInstantiate);
  if (lendLocation) scope.location = { href: import.meta.url };
  try {
    const module = (await import('@mlc-ai/web-xgrammar')) as Partial<Xgrammar> & { default?: Xgrammar };
    const api = module.Grammar ? (module as Xgrammar) : (module.default ?? scope.xgrammar);
    if (!api?.Grammar) throw new Error('@mlc-ai/web-xgrammar did not load');
    // Instantiate the wasm now, while the lent location and the error router are in place.
    (await api.Grammar.builtinJSONGrammar()).dispose();
    return api;
  } finally {
    console.error = originalError;
    WebAssembly.instantiate = originalInstantiate;
    if (lendLocation) delete scope.location;
  }
}

type Instantiate = typeof WebAssembly.instantiate;

/** Wraps WebAssembly.instantiate to keep the memory the instance exports. */
function catchMemory(instantiate: Instantiate): Instantiate {
  const wrapped = async (...args: Parameters<Instantiate>) => {
    const result = (await instantiate.apply(WebAssembly, args)) as
      | WebAssembly.WebAssemblyInstantiatedSource
      | WebAssembly.Instance;
    const instance = 'instance' in result ? result.instance : result;
    const found = Object.values(instance.exports).find((value) => value instanceof WebAssembly.Memory);
    if (found) memory = found as WebAssembly.Memory;
    return result;
  };
  return wrapped as unknown as Instantiate;
}

/** Keeps xgrammar's fatal lines (and the `Aborted()` that follows) for `callXgrammar`; passes the rest on. */
function routeErrors(next: (...args: unknown[]) => void): (...args: unknown[]) => void {
  return (...args: unknown[]) => {
    const line = args.map(String).join(' ');
    if (line.startsWith('[FATAL]')) lastFatal = line;
    else if (!line.startsWith('Aborted(')) next(...args);
  };
}

/** Runs an xgrammar call; a failure becomes a GrammarError carrying xgrammar's own reason. */
export async function callXgrammar<T>(run: () => Promise<T>): Promise<T> {
  lastFatal = null;
  try {
    return await run();
  } catch (cause) {
    const fatal = lastFatal;
    lastFatal = null;
    const message = cause instanceof Error ? cause.message : String(cause);
    // A C++ exception reaches JS as a bare pointer, without its text.
    if (!fatal && /^\d+$/.test(message)) throw new GrammarError('xgrammar cannot build a grammar from it.');
    throw new GrammarError(fatal ? fatalReason(fatal) : message);
  }
}

/** `[FATAL] /path/regex_converter.cc:75: Regex parsing error ...` -> `Regex parsing error ...`. */
export function fatalReason(line: string): string {
  return line.replace(/^\[FATAL\]\s*\S+?:\d+:\s*/, '').replace(/^Check failed: \(.*?\) is false:\s*/, '');
}
