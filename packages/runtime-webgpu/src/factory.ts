/// <reference types="@webgpu/types" />
/**
 * `webgpuRuntime()`: the RuntimeFactory of the WebGPU backend. Loading = get a device (with
 * explicit limits), read config.json and the safetensors headers, check the model fits the
 * adapter before allocating anything, then stream the weights into GPU buffers.
 * Works wherever a `GPU` exists: `navigator.gpu` in a browser or worker, host-node's `nodeGpu()`.
 */
import type { ModelInfo, Runtime, RuntimeFactory, RuntimeLoadOptions } from '@cinder/engine';
import {
  type LlamaFamilyConfig,
  type ModelSource,
  openSafetensors,
  readLlamaConfig,
} from '@cinder/model-format';
import { acquireDevice } from './gpu/device.ts';
import { withErrorScopes } from './gpu/errors.ts';
import { WebGpuRuntime } from './runtime.ts';
import { destroyWeights, gpuWeightBytes, loadGpuWeights } from './weights/load.ts';
import { checkFits } from './weights/memory-plan.ts';
import { chooseDtype } from './weights/model-weights.ts';

export interface WebGpuRuntimeOptions {
  /** The WebGPU entry point; default `navigator.gpu`. */
  readonly gpu?: GPU;
  /** Bind at most this many bytes per storage buffer (below the adapter's limit; for tests). */
  readonly maxBindingBytes?: number;
  /** GPU memory the model may use (weights + a full-context KV cache); checked before loading. */
  readonly memoryBudgetBytes?: number;
  /** JS memory per streamed row batch while loading (default 4 MB). */
  readonly loadBatchBytes?: number;
  /**
   * Kernel family: `gpu` (workgroups cooperate through shared memory), `serial` (one thread per
   * output, no barriers: far faster on CPU-emulated adapters such as SwiftShader), or `auto`
   * (serial on a fallback adapter; the default).
   */
  readonly kernels?: 'auto' | 'gpu' | 'serial';
  /**
   * Use subgroup operations (the sampler's sums and argmaxes, the matvec reductions) where the
   * device has them (WebGPU `subgroups` + WGSL `subgroup_id`); default true. False: shared-memory
   * reductions only.
   */
  readonly subgroups?: boolean;
}

export function webgpuRuntime(options: WebGpuRuntimeOptions = {}): RuntimeFactory {
  return {
    backend: 'webgpu',
    async load(source: ModelSource, loadOptions: RuntimeLoadOptions = {}): Promise<Runtime> {
      const config = await readLlamaConfig(source);
      const store = await openSafetensors(source, { signal: loadOptions.signal });
      const stored = store.info('model.embed_tokens.weight').dtype;
      const dtype = chooseDtype(loadOptions.dtype, stored);
      const contextLength = chooseContextLength(config, loadOptions.contextLength);
      const gpu = options.gpu ?? (globalThis.navigator as Navigator | undefined)?.gpu;
      const context = await acquireDevice(gpu);
      const maxBindingBytes = Math.min(context.limits.maxBindingBytes, options.maxBindingBytes ?? Infinity);
      checkFits(config, dtype, contextLength, { maxBindingBytes, budgetBytes: options.memoryBudgetBytes });
      const weights = await loadGpuWeights(context, source, store, config, {
        dtype,
        maxBindingBytes,
        batchBytes: options.loadBatchBytes,
        signal: loadOptions.signal,
        onProgress: loadOptions.onProgress,
      });
      try {
        return await withErrorScopes(
          context.device,
          'allocating the KV cache and working memory',
          () =>
            new WebGpuRuntime({
              context,
              config,
              weights,
              contextLength,
              dtype,
              weightBytes: gpuWeightBytes(weights),
              maxBindingBytes,
              serialKernels:
                options.kernels === 'serial' || (options.kernels !== 'gpu' && context.features.fallback),
              subgroups: options.subgroups !== false && context.features.subgroups,
            }),
        );
      } catch (error) {
        destroyWeights(weights);
        throw error;
      }
    },
  };
}

/** The model's context, capped by the caller and by a sliding window (as the CPU runtime does). */
function chooseContextLength(config: LlamaFamilyConfig, requested: number | undefined): number {
  if (requested !== undefined && !(Number.isInteger(requested) && requested > 0)) {
    throw new RangeError(`contextLength must be a positive integer, got ${requested}`);
  }
  return Math.min(requested ?? Infinity, config.maxPositionEmbeddings, config.slidingWindow ?? Infinity);
}

export type { ModelInfo };
