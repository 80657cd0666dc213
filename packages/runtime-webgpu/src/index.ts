/// <reference types="@webgpu/types" />
/**
 * @cinder/runtime-webgpu: the engine's GPU runtime. Hugging Face checkpoints (Llama, Qwen2,
 * Qwen3, SmolLM2, Mistral) run on WebGPU straight from safetensors, in a browser worker or in
 * Node (pass host-node's `nodeGpu()` as `gpu`). Web-standard code only.
 */
export { type WebGpuRuntimeOptions, webgpuRuntime } from './factory.ts';
export { WebGpuError, type WebGpuErrorCode } from './gpu/errors.ts';
export type { GpuCounters } from './gpu/recorder.ts';
export { WebGpuRuntime } from './runtime.ts';
export { bytesPerWeight, WEIGHT_DTYPES, type WeightDtype } from './weights/format.ts';
export { planMemory, weightBytesOf } from './weights/memory-plan.ts';
