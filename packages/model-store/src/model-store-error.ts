/**
 * A model store failure, shaped like the protocol's ApiError (`status`, `type`, `code`, `param`,
 * `toJSON()` → `{ error: {...} }`) so hosts can answer with it unchanged. Codes:
 * - `insufficient_storage` (507): the quota cannot hold the model;
 * - `model_not_found` (404): the model is not in the store, or a required file is not on the server;
 * - `model_not_ready` (409): the model is still downloading (or its download failed);
 * - `download_failed` (502): the network or the server failed; download again to resume;
 * - `integrity_error` (502): a file's size or SHA-256 is not what the server stated.
 */
export type ModelStoreErrorCode =
  | 'insufficient_storage'
  | 'model_not_found'
  | 'model_not_ready'
  | 'download_failed'
  | 'integrity_error';

const STATUS: Record<ModelStoreErrorCode, number> = {
  insufficient_storage: 507,
  model_not_found: 404,
  model_not_ready: 409,
  download_failed: 502,
  integrity_error: 502,
};

export class ModelStoreError extends Error {
  override readonly name = 'ModelStoreError';
  readonly status: number;
  readonly type: string;
  readonly code: ModelStoreErrorCode;
  readonly param: string | null = null;

  constructor(code: ModelStoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.code = code;
    this.status = STATUS[code];
    this.type =
      code === 'model_not_found'
        ? 'not_found_error'
        : this.status >= 500
          ? 'server_error'
          : 'invalid_request_error';
  }

  toJSON(): { error: { message: string; type: string; param: string | null; code: string } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

export function isQuotaError(cause: unknown): boolean {
  return (
    typeof cause === 'object' && cause !== null && (cause as { name?: unknown }).name === 'QuotaExceededError'
  );
}

export function isAbortError(cause: unknown): boolean {
  return typeof cause === 'object' && cause !== null && (cause as { name?: unknown }).name === 'AbortError';
}

/** Bytes as people read them: `1.5 MB`, `700 kB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}
