/// <reference types="@webgpu/types" />
/**
 * WebGPU in Node: the npm package `webgpu` (Dawn). Dawn drives a Vulkan driver; without a GPU the
 * SwiftShader driver that ships with Debian's chromium package works (slowly: ~0.3 GFLOP/s).
 *
 * Two things make this reliable:
 * - The `GPU` object is kept alive here for the life of the process. dawn.node destroys its
 *   instance when that object is garbage-collected, even while devices created from it are still
 *   in use; the resulting use-after-free showed up as random futex/mutex aborts and segfaults
 *   (it looked like a JIT race, but holding the object fixes it without any V8 flag).
 * - `VK_ICD_FILENAMES` picks the Vulkan driver. When it is unset and SwiftShader is installed,
 *   SwiftShader is used; set the variable to use another driver.
 */
import { existsSync } from 'node:fs';
import { create, globals } from 'webgpu';

/** Where Debian's chromium package installs the SwiftShader Vulkan driver. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let instance: GPU | null = null;

export interface NodeGpuOptions {
  /** A Vulkan ICD manifest (default: `VK_ICD_FILENAMES`, else SwiftShader when installed). */
  readonly vulkanIcd?: string;
}

/** The process-wide `GPU` (like `navigator.gpu`), created on first use. */
export function nodeGpu(options: NodeGpuOptions = {}): GPU {
  if (instance) return instance;
  const icd = options.vulkanIcd ?? process.env.VK_ICD_FILENAMES ?? swiftShaderIfInstalled();
  if (icd) process.env.VK_ICD_FILENAMES = icd;
  // WebGPU's enums (GPUBufferUsage, GPUMapMode, ...) as globals, as in a browser.
  Object.assign(globalThis, globals);
  instance = create([]);
  return instance;
}

function swiftShaderIfInstalled(): string | undefined {
  return existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined;
}
