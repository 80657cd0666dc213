/** The WebGPU runtime on Node's Dawn GPU (`nodeGpu()`): what `--backend webgpu` loads models with. */
import type { RuntimeFactory } from '@cinder/engine';
import { type WebGpuRuntimeOptions, webgpuRuntime } from '@cinder/runtime-webgpu';
import { type NodeGpuOptions, nodeGpu } from './node-gpu.ts';

export function nodeWebgpuRuntime(
  options: Omit<WebGpuRuntimeOptions, 'gpu'> & NodeGpuOptions = {},
): RuntimeFactory {
  return webgpuRuntime({ ...options, gpu: nodeGpu(options) });
}
