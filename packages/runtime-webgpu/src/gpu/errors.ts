/**
 * Failures of the WebGPU runtime, each with a stable `code` so hosts can tell them apart.
 * The engine reports them as OpenAI error objects (HTTP 500 with this message).
 */
export type WebGpuErrorCode =
  | 'webgpu_unavailable'
  | 'device_lost'
  | 'out_of_memory'
  | 'model_too_large'
  | 'kv_cache_full'
  | 'gpu_validation'
  | 'runtime_disposed';

export class WebGpuError extends Error {
  override readonly name = 'WebGpuError';
  constructor(
    readonly code: WebGpuErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Turns what an error scope caught into our error (null when it caught nothing). */
export function scopeError(
  error: GPUError | null,
  filter: 'out-of-memory' | 'validation',
  doing: string,
): WebGpuError | null {
  if (!error) return null;
  if (filter === 'out-of-memory') {
    return new WebGpuError('out_of_memory', `The GPU ran out of memory while ${doing}: ${error.message}`);
  }
  return new WebGpuError('gpu_validation', `WebGPU rejected the work while ${doing}: ${error.message}`);
}

/** Runs `work` inside out-of-memory and validation error scopes; throws the first error caught. */
export async function withErrorScopes<T>(device: GPUDevice, doing: string, work: () => T): Promise<T> {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let result: T | undefined;
  let failure: unknown = null;
  try {
    result = work();
  } catch (error) {
    failure = error;
  }
  // On a lost device the scopes may never settle: the caller then reports the loss.
  const lost = device.lost.then(() => null);
  const validation = scopeError(await Promise.race([device.popErrorScope(), lost]), 'validation', doing);
  const memory = scopeError(await Promise.race([device.popErrorScope(), lost]), 'out-of-memory', doing);
  // What the GPU reported explains a JS failure that followed from it, so it comes first.
  if (memory ?? validation ?? failure) throw memory ?? validation ?? failure;
  return result as T;
}
