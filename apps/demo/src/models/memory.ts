/**
 * Whether a model is likely to fit in this device's memory: its weights as the runtime holds them
 * (the CPU runtime widens bf16/f16 to f32, about twice the download) against `navigator.deviceMemory`
 * (Chromium only, in GB, capped at 8). A warning, not a refusal: the real test is loading it.
 */
import { formatBytes } from '../ui/format.ts';

export function memoryWarning(downloadBytes: number, backend: string | null): string | null {
  const deviceGb = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  if (!deviceGb) return null;
  const gpu = backend === 'webgpu';
  const need = downloadBytes * (gpu ? 1.2 : 2.2);
  if (need <= deviceGb * 1e9 * 0.6) return null;
  return `Likely too large for this device: about ${formatBytes(need)} of memory on the ${gpu ? 'WebGPU' : 'CPU'} runtime, and this device reports ${deviceGb} GB.`;
}
