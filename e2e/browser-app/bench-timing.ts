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

/**
 * Reads an SSE chat-completion body (sent with `return_token_ids`) as a client would: splits events,
 * parses each, and stamps every generated token with the time its bytes arrived.
 */
export async function sseTokenTimes(started: number, body: ReadableStream<Uint8Array>): Promise<BenchRun> {
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
  return tokenTimes(started, stamps);
}

/** The streaming request every benchmark path sends. */
export function benchRequestInit(body: Record<string, unknown>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  };
}
