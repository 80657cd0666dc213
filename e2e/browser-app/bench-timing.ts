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

export type BenchResults = Record<BenchPath, BenchRun[]>;

/**
 * Runs every path once per round, rotating their order each round so drift in the machine's speed hits
 * all alike. Every run gets its own `cache_salt`, so each one prefills cold.
 */
export async function benchRounds(
  options: BenchRoundsOptions,
  run: (path: BenchPath, body: Record<string, unknown>) => Promise<BenchRun>,
): Promise<BenchResults> {
  const warmup = options.warmup ?? 2;
  const results: BenchResults = { direct: [], handler: [], sw: [] };
  for (let i = 0; i < options.runs + warmup; i++) {
    for (let k = 0; k < BENCH_PATHS.length; k++) {
      const path = BENCH_PATHS[(i + k) % BENCH_PATHS.length];
      const result = await run(path, {
        model: options.model,
        messages: [{ role: 'user', content: `Tell me story number ${i}.` }],
        max_tokens: options.maxTokens,
        ignore_eos: true,
        temperature: 0,
        return_token_ids: true,
        cache_salt: `${path}-${i}`,
      });
      if (i >= warmup) results[path].push(result);
    }
  }
  return results;
}
