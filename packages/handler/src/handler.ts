/**
 * The whole HTTP API as one web-standard function: `(Request) => Promise<Response>`.
 * The same function answers in Node (@cinder/host-node), a service worker and a worker.
 *
 *   POST /v1/chat/completions   JSON, or SSE when `stream: true`
 *   GET  /v1/models             the models this engine serves
 *   GET  /v1/models/{id}        one of them (ids may contain `/`)
 *
 * Every failure is an OpenAI error object with the right status.
 */
import type { Engine } from '@cinder/engine';
import { ApiError } from '@cinder/protocol';
import { checkApiKey } from './auth.ts';
import { readJsonBody } from './read-json-body.ts';
import { errorResponse, jsonResponse } from './responses.ts';
import { type SseOptions, sseResponse } from './sse-response.ts';

export interface HandlerOptions {
  readonly engine: Engine;
  /** Path prefix of the API. Default `/v1`. */
  readonly basePath?: string;
  /** When non-empty, requests must carry `Authorization: Bearer <one of these>`. */
  readonly apiKeys?: readonly string[];
  /** Largest accepted request body in bytes. Default 4 MiB. */
  readonly maxBodyBytes?: number;
  /** Add permissive CORS headers and answer preflights (for pages on other origins). Default false. */
  readonly cors?: boolean;
  readonly sse?: SseOptions;
}

export type Handler = (request: Request) => Promise<Response>;

const CORS_HEADERS: Record<string, string> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

export function createHandler(options: HandlerOptions): Handler {
  const basePath = (options.basePath ?? '/v1').replace(/\/+$/, '');
  const apiKeys = options.apiKeys ?? [];
  const maxBodyBytes = options.maxBodyBytes ?? 4 * 1024 * 1024;
  const extraHeaders = options.cors ? CORS_HEADERS : {};

  async function route(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (path !== basePath && !path.startsWith(`${basePath}/`)) throw notFound(path);
    const rest = path.slice(basePath.length);

    if (options.cors && request.method === 'OPTIONS') return new Response(null, { status: 204 });

    if (rest === '/chat/completions') {
      requireMethod(request, 'POST');
      checkApiKey(request, apiKeys);
      const body = await readJsonBody(request, maxBodyBytes);
      const result = await options.engine.chat.completions.create(body, { signal: request.signal });
      return isAsyncIterable(result) ? sseResponse(result, options.sse) : jsonResponse(result);
    }
    if (rest === '/models') {
      requireMethod(request, 'GET');
      checkApiKey(request, apiKeys);
      return jsonResponse(await options.engine.models.list());
    }
    if (rest.startsWith('/models/') && rest.length > '/models/'.length) {
      requireMethod(request, 'GET');
      checkApiKey(request, apiKeys);
      const id = decodeURIComponent(rest.slice('/models/'.length));
      return jsonResponse(await options.engine.models.retrieve(id));
    }
    throw notFound(path);
  }

  return async (request) => {
    let response: Response;
    try {
      response = await route(request);
    } catch (cause) {
      response = errorResponse(cause, methodHeaders(cause));
    }
    for (const [key, value] of Object.entries(extraHeaders)) response.headers.set(key, value);
    return response;
  };
}

class MethodNotAllowed extends ApiError {
  constructor(
    method: string,
    readonly allow: string,
  ) {
    super(405, `Method ${method} is not allowed here; use ${allow}.`, { code: 'method_not_allowed' });
  }
}

function requireMethod(request: Request, allow: string): void {
  if (request.method !== allow) throw new MethodNotAllowed(request.method, allow);
}

function methodHeaders(cause: unknown): HeadersInit {
  return cause instanceof MethodNotAllowed ? { allow: cause.allow } : {};
}

function notFound(path: string): ApiError {
  return new ApiError(404, `Unknown route ${path}.`, { code: 'unknown_url' });
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
