/** Sends one sweep request with a hard deadline and reads the whole answer (a hang becomes an error). */
import type { RawRequest } from './case.ts';

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly text: string;
  readonly millis: number;
}

export async function send(baseUrl: string, request: RawRequest, timeoutMs: number): Promise<Answer> {
  const headers: Record<string, string> = { ...request.headers };
  if (request.contentType !== null) headers['content-type'] = request.contentType;
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: (request.body ?? undefined) as BodyInit | undefined,
      signal,
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      cacheControl: response.headers.get('cache-control') ?? '',
      text,
      millis: performance.now() - started,
    };
  } catch (cause) {
    if (signal.aborted) throw new Error(`no complete answer within ${timeoutMs} ms (hang)`);
    throw cause;
  }
}
