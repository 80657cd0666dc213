/**
 * OpenAI-shaped errors. Every failure that reaches a client is one of these:
 * `{ error: { message, type, param, code } }` with an HTTP status.
 * Errors cross worker boundaries as plain data (`toJSON()` / `ApiError.from`).
 */

export interface ErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export interface ErrorBody {
  error: ErrorObject;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;

  constructor(
    status: number,
    message: string,
    options: { type?: string; param?: string | null; code?: string | null } = {},
  ) {
    super(message);
    this.status = status;
    this.type = options.type ?? defaultType(status);
    this.param = options.param ?? null;
    this.code = options.code ?? null;
  }

  toJSON(): ErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }

  /** Rebuild an ApiError from its JSON body (e.g. after crossing postMessage). */
  static fromBody(status: number, body: ErrorBody): ApiError {
    const { message, type, param, code } = body.error;
    return new ApiError(status, message, { type, param, code });
  }

  /** Wrap anything thrown into an ApiError; unknown failures become a 500 that hides nothing useful. */
  static from(cause: unknown): ApiError {
    if (cause instanceof ApiError) return cause;
    const shaped = apiErrorShape(cause);
    if (shaped) return shaped;
    if (isAbortError(cause))
      return new ApiError(499, 'The request was cancelled.', { code: 'request_cancelled' });
    const message = cause instanceof Error ? cause.message : String(cause);
    return new ApiError(500, `Internal error: ${message}`, { type: 'server_error', code: 'internal_error' });
  }
}

/** Errors of other packages that carry our shape (`status`, `message`, `code`, `type`, `param`), e.g. the model store's. */
function apiErrorShape(cause: unknown): ApiError | null {
  if (!(cause instanceof Error)) return null;
  const { status, code, type, param } = cause as Error & Record<string, unknown>;
  if (typeof status !== 'number' || status < 400 || status > 599 || typeof code !== 'string') return null;
  return new ApiError(status, cause.message, {
    code,
    type: typeof type === 'string' ? type : undefined,
    param: typeof param === 'string' ? param : null,
  });
}

function defaultType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function isAbortError(cause: unknown): boolean {
  return typeof cause === 'object' && cause !== null && (cause as { name?: unknown }).name === 'AbortError';
}

/** 400 invalid_request_error naming the offending parameter. */
export function invalidParam(
  param: string | null,
  message: string,
  code: string | null = 'invalid_value',
): ApiError {
  return new ApiError(400, message, { type: 'invalid_request_error', param, code });
}
