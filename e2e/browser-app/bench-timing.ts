/** Shared by the page and the worker: one benchmark run as time to first token and decode rate. */
export interface BenchRun {
  /** ms from the call to the first generated token's arrival. */
  readonly ttftMs: number;
  /** Tokens after the first, per second of arrival time. */
  readonly tokensPerSecond: number;
  readonly tokens: number;
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
