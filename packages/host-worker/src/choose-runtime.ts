/**
 * Which runtime a worker runs: WebGPU when the browser gives an adapter and the WebGPU runtime is
 * available, the CPU reference runtime otherwise (no WebGPU never means no engine).
 */
import type { RuntimeFactory } from '@cinder/engine';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { webgpuRuntime } from '@cinder/runtime-webgpu';

/** `navigator.gpu`, as far as choosing a runtime needs it. */
export interface GpuLike {
  requestAdapter(options?: object): Promise<unknown>;
}

export type WebGpuRuntimeFactory = (options: { gpu: GpuLike }) => RuntimeFactory;

/** The WebGPU runtime, used whenever the browser gives a hardware adapter. */
const WEBGPU_RUNTIME: WebGpuRuntimeFactory = (options) => webgpuRuntime({ gpu: options.gpu as GPU });

export interface RuntimeChoice {
  readonly runtime: RuntimeFactory;
  /** Why this one, e.g. `webgpu adapter found` or `no WebGPU adapter`. */
  readonly reason: string;
}

export interface ChooseRuntimeOptions {
  /** Overrides the switch above (tests, apps that bundle the WebGPU runtime themselves); null: CPU only. */
  readonly webgpu?: WebGpuRuntimeFactory | null;
  /** Default: `navigator.gpu`. */
  readonly gpu?: GpuLike | null;
  /** requestAdapter() is given this long before we give up on WebGPU (ms). Default 3000. */
  readonly adapterTimeoutMs?: number;
  /**
   * Use WebGPU even on a software adapter (SwiftShader, a "fallback" adapter). Default false: there
   * our CPU runtime is an order of magnitude faster (measured: 158 vs 9.8 tok/s on tiny-smollm2).
   */
  readonly allowSoftwareAdapter?: boolean;
}

export async function chooseRuntime(options: ChooseRuntimeOptions = {}): Promise<RuntimeChoice> {
  const webgpu = options.webgpu === undefined ? WEBGPU_RUNTIME : options.webgpu;
  if (!webgpu) return { runtime: cpuRuntime, reason: 'the WebGPU runtime is not enabled' };
  const gpu =
    options.gpu === undefined ? (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu : options.gpu;
  if (!gpu) return { runtime: cpuRuntime, reason: 'no navigator.gpu' };
  const adapter = await Promise.race([
    gpu.requestAdapter().catch(() => null),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), options.adapterTimeoutMs ?? 3000)),
  ]);
  if (!adapter) return { runtime: cpuRuntime, reason: 'no WebGPU adapter' };
  if (isSoftwareAdapter(adapter) && !options.allowSoftwareAdapter) {
    return { runtime: cpuRuntime, reason: 'software WebGPU adapter (the CPU runtime is faster)' };
  }
  return { runtime: webgpu({ gpu }), reason: 'WebGPU adapter found' };
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
 * start listening) synchronously at startup, before the adapter request resolves.
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
    async load(source, loadOptions) {
      return (await choose()).runtime.load(source, loadOptions);
    },
  };
}
