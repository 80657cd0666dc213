/**
 * Whether a model is likely to fit in this device's memory: its weights as the runtime holds them
 * against `navigator.deviceMemory` (Chromium only, in GB, capped at 8). A warning, not a refusal:
 * the real test is loading it.
 *
 * Bytes held per downloaded byte, with ~20% for the KV cache and activations:
 *   - webgpu: the weights as downloaded (16-bit on the GPU);
 *   - cpu: bf16/f16 widened to f32, about twice the download;
 *   - wllama: GGUF weights stay as they are (llama.cpp computes on them quantized). A GGUF download
 *     (those always run on wllama) is held as is; a 16-bit safetensors model is converted to q8_0
 *     first (8.5 bits per weight: 1.0625 bytes per parameter against 2 downloaded).
 */
import { formatBytes } from '../ui/format.ts';

/** What was downloaded: safetensors (16-bit, the Hub's usual) unless said otherwise. */
export type WeightsFormat = 'safetensors' | 'gguf';

/** A model's download: its size, and the format when it is not 16-bit safetensors. */
export type DownloadSize = number | { readonly bytes: number; readonly format?: WeightsFormat };

const Q8_0_PER_16_BIT = 1.0625 / 2;

/** Bytes of memory per downloaded byte on `backend`. */
export function memoryPerByte(backend: string | null, format: WeightsFormat = 'safetensors'): number {
  // GGUF-only models always run on wllama, whatever runtime the device got.
  if (format === 'gguf') return 1.2;
  if (backend === 'webgpu') return 1.2;
  if (backend === 'wllama') return 1.2 * Q8_0_PER_16_BIT;
  return 2.2;
}

export function memoryWarning(download: DownloadSize, backend: string | null): string | null {
  const deviceGb = (globalThis.navigator as { deviceMemory?: number } | undefined)?.deviceMemory;
  if (!deviceGb) return null;
  const { bytes, format } = typeof download === 'number' ? { bytes: download, format: undefined } : download;
  const need = bytes * memoryPerByte(backend, format);
  if (need <= deviceGb * 1e9 * 0.6) return null;
  return `Likely too large for this device: about ${formatBytes(need)} of memory on the ${runtimeName(backend)} runtime, and this device reports ${deviceGb} GB.`;
}

function runtimeName(backend: string | null): string {
  if (backend === 'webgpu') return 'WebGPU';
  if (backend === 'wllama') return 'wllama';
  return 'CPU';
}
