/**
 * WebLLM's `finish_reason` -> OpenAI's. WebLLM adds a non-standard `"abort"` when
 * `interruptGenerate()` stopped it; only this adapter interrupts (requests are serialized), so an
 * abort means the caller's signal fired: the request rejects with the signal's AbortError instead.
 */
import type { FinishReason } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';

export function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The request was aborted.', 'AbortError');
}

export function mapFinishReason(reason: string | null | undefined, signal?: AbortSignal): FinishReason {
  if (signal?.aborted || reason === 'abort') throw abortReason(signal);
  if (reason === 'stop' || reason === 'length' || reason === 'tool_calls') return reason;
  throw new ApiError(500, `WebLLM ended a generation with an unknown finish_reason '${reason}'.`, {
    type: 'server_error',
    code: 'webllm_error',
  });
}
