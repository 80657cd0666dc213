/**
 * Which runtime a worker runs:
 *   1. a hardware WebGPU adapter        -> our WebGPU runtime;
 *   2. no WebGPU, or a software adapter -> wllama (llama.cpp in WebAssembly, ~10x our CPU runtime);
 *   3. wllama not available here        -> our CPU reference runtime (no WebGPU never means no engine).
 * Per model, on top of that: a GGUF-only model always goes to wllama, and a safetensors model that
 * lands on wllama is handed to it as a GGUF converted on the fly (gguf-source.ts).
 */
import type { RuntimeFactory, RuntimeLoadOptions } from '@cinder/engine';
import type { ModelSource } from '@cinder/model-format';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { webgpuRuntime } from '@cinder/runtime-webgpu';
import { convertedGgufSource, ggufFileOf } from './gguf-source.ts';

/** `navigator.gpu`, as far as choosing a runtime needs it. */
export interface GpuLike {
  requestAdapter(options?: object): Promise<unknown>;
}

export type WebGpuRuntimeFactory = (options: { gpu: GpuLike }) => RuntimeFactory;

/** The WebGPU runtime, used whenever the browser gives a hardware adapter. */
const WEBGPU_RUNTIME: WebGpuRuntimeFactory = (options) => webgpuRuntime({ gpu: options.gpu as GPU });

export interface RuntimeChoice {
  readonly runtime: RuntimeFactory;
  /** Why this one, e.g. `WebGPU adapter found` or `no navigator.gpu; wllama (llama.cpp in WebAssembly)`. */
  readonly reason: string;
}

export interface ChooseRuntimeOptions {
  /** Overrides the switch above (tests, apps that bundle the WebGPU runtime themselves); null: no WebGPU. */
  readonly webgpu?: WebGpuRuntimeFactory | null;
  /**
   * The wllama runtime (`wllamaRuntime({ wasmUrl })` from @cinder/runtime-wllama): what runs without
   * a hardware WebGPU adapter, and every GGUF-only model. Null or absent: none, the CPU runtime
   * takes its place (apps pass it because only they know where their bundler put the wasm).
   */
  readonly wllama?: RuntimeFactory | null;
  /** The last resort. Default: our CPU reference runtime. */
  readonly cpu?: RuntimeFactory;
  /** Default: `navigator.gpu`. */
  readonly gpu?: GpuLike | null;
  /** requestAdapter() is given this long before we give up on WebGPU (ms). Default 3000. */
  readonly adapterTimeoutMs?: number;
  /**
   * Use WebGPU even on a software adapter (SwiftShader, a "fallback" adapter). Default false: there
   * wllama and even our CPU runtime are an order of magnitude faster (158 vs 9.8 tok/s on tiny-smollm2).
   */
  readonly allowSoftwareAdapter?: boolean;
}

export async function chooseRuntime(options: ChooseRuntimeOptions = {}): Promise<RuntimeChoice> {
  const webgpu = options.webgpu === undefined ? WEBGPU_RUNTIME : options.webgpu;
  const noGpu = await whyNoWebGpu(webgpu, options);
  if (!noGpu && webgpu) return { runtime: webgpu({ gpu: gpuOf(options)! }), reason: 'WebGPU adapter found' };
  return withoutWebGpu(noGpu ?? 'no WebGPU', options);
}

/** Why WebGPU is not used, or null when it is. */
async function whyNoWebGpu(
  webgpu: WebGpuRuntimeFactory | null,
  options: ChooseRuntimeOptions,
): Promise<string | null> {
  if (!webgpu) return 'the WebGPU runtime is not enabled';
  const gpu = gpuOf(options);
  if (!gpu) return 'no navigator.gpu';
  const adapter = await Promise.race([
    gpu.requestAdapter().catch(() => null),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), options.adapterTimeoutMs ?? 3000)),
  ]);
  if (!adapter) return 'no WebGPU adapter';
  if (isSoftwareAdapter(adapter) && !options.allowSoftwareAdapter) return 'software WebGPU adapter';
  return null;
}

/** wllama when it can run here, else the CPU runtime; the reason says why WebGPU was not used, then which. */
function withoutWebGpu(noGpu: string, options: ChooseRuntimeOptions): RuntimeChoice {
  const wllama = usableWllama(options);
  if (wllama.runtime)
    return { runtime: wllama.runtime, reason: `${noGpu}; wllama (llama.cpp in WebAssembly)` };
  return { runtime: options.cpu ?? cpuRuntime, reason: `${noGpu}; CPU runtime (${wllama.why})` };
}

function usableWllama(options: ChooseRuntimeOptions): { runtime: RuntimeFactory | null; why: string } {
  if (!options.wllama) return { runtime: null, why: 'wllama is not enabled' };
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') {
    return { runtime: null, why: 'no WebAssembly' };
  }
  return { runtime: options.wllama, why: '' };
}

function gpuOf(options: ChooseRuntimeOptions): GpuLike | null | undefined {
  return options.gpu === undefined
    ? (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu
    : options.gpu;
}

/** SwiftShader and other CPU-emulated adapters, by the flag or by name. */
function isSoftwareAdapter(adapter: unknown): boolean {
  const { info, isFallbackAdapter } = adapter as {
    info?: { isFallbackAdapter?: boolean; architecture?: string; description?: string; vendor?: string };
    isFallbackAdapter?: boolean;
  };
  if (isFallbackAdapter || info?.isFallbackAdapter) return true;
  return /swiftshader|llvmpipe|software/i.test(`${info?.vendor} ${info?.architecture} ${info?.description}`);
}

/**
 * A runtime factory that makes the choice on its first load, so a worker can create its engine (and
 * start listening) synchronously at startup, before the adapter request resolves. Each model then
 * goes where it can run: GGUF-only models to wllama, safetensors models on wllama through a GGUF
 * converted on the fly.
 */
export function autoRuntime(
  options: ChooseRuntimeOptions = {},
): RuntimeFactory & { choice(): Promise<RuntimeChoice> } {
  let choice: Promise<RuntimeChoice> | null = null;
  const choose = () => {
    choice ??= chooseRuntime(options);
    return choice;
  };
  return {
    backend: 'auto',
    choice: choose,
    async load(source: ModelSource, loadOptions?: RuntimeLoadOptions) {
      const { runtime } = await choose();
      const wllama = usableWllama(options).runtime;
      if (ggufFileOf(source) !== null) {
        if (!wllama)
          throw new Error(
            `Model ${source.id} is a GGUF file: only wllama runs it, and it is not available here`,
          );
        return wllama.load(source, loadOptions);
      }
      if (!wllama || runtime !== wllama) return runtime.load(source, loadOptions);
      try {
        return await wllama.load(convertedGgufSource(source), loadOptions);
      } catch (cause) {
        if (loadOptions?.signal?.aborted) throw cause;
        // wllama could not run it (its wasm did not load, the conversion failed, ...): our CPU runtime can.
        console.warn(`wllama could not load ${source.id}; using the CPU runtime instead`, cause);
        return (options.cpu ?? cpuRuntime).load(source, loadOptions);
      }
    },
  };
}
