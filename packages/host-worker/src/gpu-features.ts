/**
 * What the browser's GPU offers WebLLM, asked once before any download: an adapter at all, and the
 * `shader-f16` feature that WebLLM's f16 model libraries need.
 */

/** `navigator.gpu`, as far as feature detection needs it. */
export interface FeatureGpu {
  requestAdapter(options?: object): Promise<{ readonly features: { has(name: string): boolean } } | null>;
}

export interface GpuFeatures {
  /** False when there is no navigator.gpu or it gives no adapter: WebLLM cannot run. */
  readonly adapter: boolean;
  readonly shaderF16: boolean;
}

/** Asks for an adapter (giving up after `timeoutMs`) and reads its features. Never throws. */
export async function detectGpuFeatures(
  gpu: FeatureGpu | null | undefined,
  timeoutMs = 3000,
): Promise<GpuFeatures> {
  if (!gpu) return { adapter: false, shaderF16: false };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const adapter = await Promise.race([
    gpu.requestAdapter().catch(() => null),
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (!adapter) return { adapter: false, shaderF16: false };
  return { adapter: true, shaderF16: adapter.features.has('shader-f16') };
}

/** The global `navigator.gpu` (a window or a worker), if any. */
export function navigatorGpu(): FeatureGpu | null {
  return (globalThis.navigator as { gpu?: FeatureGpu } | undefined)?.gpu ?? null;
}
