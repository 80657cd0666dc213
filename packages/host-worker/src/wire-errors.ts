/**
 * Errors across the worker boundary. comlink's own 'throw' handler keeps only name, message and stack,
 * so an `ApiError` would arrive without its status, type, param and code. We wrap that handler: an
 * ApiError crosses as a `WireError` and is rebuilt as an ApiError; anything else crosses as before.
 * Both sides call `registerErrorTransfer()` (exposeEngine and connectEngine do).
 */
import { ApiError } from '@cinder/protocol';
import { type TransferHandler, transferHandlers } from 'comlink';
import type { WireError } from './api.ts';

export function toWireError(cause: unknown): WireError {
  const error = ApiError.from(cause);
  return { status: error.status, ...error.toJSON() };
}

export function fromWireError(wire: WireError): ApiError {
  return ApiError.fromBody(wire.status, wire);
}

interface ThrownApiError {
  readonly cinderApiError: WireError;
}

function isThrownApiError(value: unknown): value is { isError: false; value: ThrownApiError } {
  const inner = (value as { value?: { cinderApiError?: unknown } } | null)?.value;
  return typeof inner?.cinderApiError === 'object' && inner.cinderApiError !== null;
}

let registered = false;

export function registerErrorTransfer(): void {
  if (registered) return;
  const builtin = transferHandlers.get('throw');
  if (!builtin) throw new Error("comlink has no 'throw' transfer handler to extend");
  const handler: TransferHandler<unknown, unknown> = {
    canHandle: (value): value is unknown => builtin.canHandle(value),
    serialize(thrown) {
      const { value } = thrown as { value: unknown };
      if (value instanceof ApiError)
        return [{ isError: false, value: { cinderApiError: toWireError(value) } }, []];
      return builtin.serialize(thrown);
    },
    deserialize(serialized) {
      if (isThrownApiError(serialized)) throw fromWireError(serialized.value.cinderApiError);
      return builtin.deserialize(serialized);
    },
  };
  transferHandlers.set('throw', handler);
  registered = true;
}
