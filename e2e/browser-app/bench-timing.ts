/** Shared by the page and the worker: one benchmark run as time to first token and decode rate. */
export interface BenchRun {
  /** ms from the call to the first generated token's arrival. */
  readonly ttftMs: number;
  /** Tokens after the first, per second of arrival time. */
  readonly tokensPerSecond: number;
  readonly tokens: number;
  /** ms from the call to the response head (HTTP paths only): the request's trip without prefill. */
  readonly headMs?: number;
}

/** `stamps`: arrival time of each generated token (performance.now()). */
export function tokenTimes(started: number, stamps: readonly number[]): BenchRun {
  if (stamps.length < 2) throw new Error(`a benchmark run needs at least 2 tokens, got ${stamps.length}`);
  const decodeMs = stamps.at(-1)! - stamps[0];
  return {
    ttftMs: stamps[0] - started,
    tokensPerSecond: decodeMs > 0 ? ((stamps.length - 1) * 1000) / decodeMs : Number.POSITIVE_INFINITY,
    tokens: stamps.length,
  };
}

/**
 * Reads an SSE chat-completion body (sent with `return_token_ids`) as a client would: splits events,
 * parses each, and stamps every generated token with the time its bytes arrived.
 */
export async function sseTokenTimes(started: number, response: Response): Promise<BenchRun> {
  const headMs = performance.now() - started;
  const body = response.body;
  if (!body) throw new Error(`no body (status ${response.status})`);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const stamps: number[] = [];
  let buffer = '';
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    const now = performance.now();
    buffer += decoder.decode(value, { stream: true });
    const events = buffer.split('\n\n');
    buffer = events.pop() ?? '';
    for (const event of events) {
      if (!event.startsWith('data: {')) continue;
      const chunk = JSON.parse(event.slice(6)) as { choices: Array<{ token_ids?: number[] }> };
      for (const _ of chunk.choices[0]?.token_ids ?? []) stamps.push(now);
    }
  }
  return { ...tokenTimes(started, stamps), headMs };
}

/** The streaming request every benchmark path sends. */
export function benchRequestInit(body: Record<string, unknown>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  };
}

/**
 * The floor of any service-worker answer: the same POST to a route the test app's service worker
 * answers at once with a one-event stream (no engine, no port). Chromium's own cost, measured in the
 * same run as the engine paths.
 */
export interface FloorRun {
  /** ms from the page's fetch() to the service worker's fetch event (clocks of two threads, ~0.1 ms). */
  readonly dispatchMs: number;
  /** ms from the call to the response head. */
  readonly headMs: number;
  /** ms from the call to the first body bytes: what a service worker with its answer ready adds to TTFT. */
  readonly firstBytesMs: number;
}

/** Where the test app's service worker answers the floor requests. */
export const SW_FLOOR_PATH = '/__bench/sw-floor';
const RECEIVED_AT_HEADER = 'x-bench-fetch-event-at';

/** The service worker's side of the floor: read the body (as serveCinder does), answer one SSE event. */
export async function swFloorResponse(request: Request, receivedAt: number): Promise<Response> {
  await request.arrayBuffer();
  const event = new TextEncoder().encode('data: {"choices":[{"index":0,"token_ids":[0]}]}\n\n');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(event);
      controller.close();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', [RECEIVED_AT_HEADER]: String(receivedAt) },
  });
}

/** The page's side of the floor: one request of the benchmark's shape through the floor route. */
export async function floorRun(body: Record<string, unknown>): Promise<FloorRun> {
  const started = performance.now();
  const response = await fetch(SW_FLOOR_PATH, benchRequestInit(body));
  const headMs = performance.now() - started;
  const reader = response.body!.getReader();
  await reader.read();
  const firstBytesMs = performance.now() - started;
  while (!(await reader.read()).done) {}
  const receivedAt = Number(response.headers.get(RECEIVED_AT_HEADER));
  return { dispatchMs: receivedAt - (performance.timeOrigin + started), headMs, firstBytesMs };
}

/** The paths of the service-worker benchmark: engine called in its worker, HTTP handler there, page -> SW -> worker. */
export const BENCH_PATHS = ['direct', 'handler', 'sw'] as const;
export type BenchPath = (typeof BENCH_PATHS)[number];

export interface BenchRoundsOptions {
  readonly model: string;
  /** Measured runs per path. */
  readonly runs: number;
  /** Tokens per run. */
  readonly maxTokens: number;
  /** Unmeasured rounds first (model load, JIT warm-up). Default 2. */
  readonly warmup?: number;
}

export type BenchResults = Record<BenchPath, BenchRun[]> & {
  /** One floor request per round, at the round's start (when benchRounds was given a floor run). */
  readonly floor?: FloorRun[];
};

/**
 * Runs every path once per round, rotating their order each round so drift in the machine's speed hits
 * all alike. Every run gets its own `cache_salt`, so each one prefills cold.
 */
export async function benchRounds(
  options: BenchRoundsOptions,
  run: (path: BenchPath, body: Record<string, unknown>) => Promise<BenchRun>,
  floor?: (body: Record<string, unknown>) => Promise<FloorRun>,
): Promise<BenchResults> {
  const warmup = options.warmup ?? 2;
  const results: Record<BenchPath, BenchRun[]> & { floor: FloorRun[] } = {
    direct: [],
    handler: [],
    sw: [],
    floor: [],
  };
  const body = (i: number, salt: string) => ({
    model: options.model,
    messages: [{ role: 'user', content: `Tell me story number ${i}.` }],
    max_tokens: options.maxTokens,
    ignore_eos: true,
    temperature: 0,
    return_token_ids: true,
    cache_salt: `${salt}-${i}`,
  });
  for (let i = 0; i < options.runs + warmup; i++) {
    if (floor) {
      const result = await floor(body(i, 'floor'));
      if (i >= warmup) results.floor.push(result);
    }
    for (let k = 0; k < BENCH_PATHS.length; k++) {
      const path = BENCH_PATHS[(i + k) % BENCH_PATHS.length];
      const result = await run(path, body(i, path));
      if (i >= warmup) results[path].push(result);
    }
  }
  return results;
}
