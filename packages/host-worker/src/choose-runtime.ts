/**
 * Which runtime a worker runs: WebGPU when the browser gives an adapter and the WebGPU runtime is
 * available, the CPU reference runtime otherwise (no WebGPU never means no engine).
 */
import type { RuntimeFactory } from '@cinder/engine';
import { cpuRuntime } from '@cinder/runtime-cpu';

/** `navigator.gpu`, as far as choosing a runtime needs it. */
export interface GpuLike {
  requestAdapter(options?: object): Promise<unknown>;
}

export type WebGpuRuntimeFactory = (options: { gpu: GpuLike }) => RuntimeFactory;

/**
 * SWITCH (WebGPU): once @cinder/runtime-webgpu is ready, import `webgpuRuntime` from it and set this to
 * `(options) => webgpuRuntime(options as never)`. Until then every worker runs the CPU runtime.
 */
const WEBGPU_RUNTIME: WebGpuRuntimeFactory | null = null;

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
  return { runtime: webgpu({ gpu }), reason: 'WebGPU adapter found' };
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
