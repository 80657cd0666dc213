/** Small Response builders shared by the routes. */
import { ApiError } from '@cinder/protocol';

const JSON_HEADERS = { 'content-type': 'application/json' };

export function jsonResponse(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const merged = new Headers(headers);
  for (const [key, value] of Object.entries(JSON_HEADERS)) merged.set(key, value);
  return new Response(JSON.stringify(body), { status, headers: merged });
}

export function errorResponse(cause: unknown, headers: HeadersInit = {}): Response {
  const error = ApiError.from(cause);
  // 499 ("client closed request") is not a status a Response may carry to a client that is gone anyway.
  const status = error.status === 499 ? 400 : error.status;
  return jsonResponse(error.toJSON(), status, headers);
}
