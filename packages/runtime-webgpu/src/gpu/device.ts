/// <reference types="@webgpu/types" />
/**
 * Device acquisition with explicit limits. Without `requiredLimits` a device gets the spec
 * defaults (128 MiB per storage binding, 256 MiB per buffer) whatever the adapter can do, so we
 * ask for the adapter's maximum buffer sizes and keep everything else at modest values every
 * WebGPU implementation offers. Tensors larger than a binding are split by rows (weights/layout.ts).
 */
import { WebGpuError } from './errors.ts';

export interface GpuLimits {
  /** Largest storage buffer binding, and largest buffer: weights are split below this. */
  readonly maxBindingBytes: number;
  readonly maxBufferBytes: number;
  readonly maxWorkgroupsPerDimension: number;
}

export interface GpuContext {
  readonly gpu: GPU;
  readonly device: GPUDevice;
  readonly limits: GpuLimits;
  readonly features: {
    readonly shaderF16: boolean;
    /**
     * Subgroup operations our kernels can use: the device has the `subgroups` feature and WGSL has
     * `subgroup_id` (so partial results can be combined in a fixed order, deterministically).
     */
    readonly subgroups: boolean;
    /** A CPU-emulated adapter (SwiftShader): kernels without barriers run much faster there. */
    readonly fallback: boolean;
  };
  /** Set once the device is lost (or destroyed). */
  lostReason: string | null;
}

export interface AcquireOptions {
  readonly powerPreference?: GPUPowerPreference;
}

/** Workgroup storage and invocations our kernels use at most (spec defaults are 16 KiB and 256). */
const WORKGROUP_STORAGE_BYTES = 16384;
const INVOCATIONS_PER_WORKGROUP = 256;
/** Storage buffers bound by one kernel at most (the spec default is 8). */
const STORAGE_BUFFERS_PER_STAGE = 8;

const shared = new WeakMap<GPU, Promise<GpuContext>>();

/**
 * The device of a `GPU`, shared by every runtime loaded from it (so kernels compile once per
 * device, not per model). A lost device is replaced on the next call: runtimes can be created
 * again without reloading the page.
 */
export async function acquireDevice(gpu: GPU | undefined, options: AcquireOptions = {}): Promise<GpuContext> {
  if (!gpu) {
    throw new WebGpuError('webgpu_unavailable', 'WebGPU is not available here (no navigator.gpu).');
  }
  const cached = shared.get(gpu);
  if (cached) {
    const context = await cached.catch(() => null);
    if (context && context.lostReason === null) return context;
  }
  const fresh = requestContext(gpu, options);
  shared.set(gpu, fresh);
  return fresh;
}

async function requestContext(gpu: GPU | undefined, options: AcquireOptions): Promise<GpuContext> {
  if (!gpu) {
    throw new WebGpuError('webgpu_unavailable', 'WebGPU is not available here (no navigator.gpu).');
  }
  const adapter = await gpu.requestAdapter({
    powerPreference: options.powerPreference ?? 'high-performance',
  });
  if (!adapter)
    throw new WebGpuError('webgpu_unavailable', 'WebGPU found no adapter (no usable GPU driver).');
  const a = adapter.limits;
  const maxBufferBytes = a.maxBufferSize;
  const maxBindingBytes = Math.min(a.maxStorageBufferBindingSize, maxBufferBytes);
  // Older implementations lack wgslLanguageFeatures.
  const subgroups =
    adapter.features.has('subgroups') && gpu.wgslLanguageFeatures?.has('subgroup_id') === true;
  const device = await adapter.requestDevice({
    label: 'cinder',
    requiredFeatures: subgroups ? ['subgroups'] : [],
    requiredLimits: {
      maxBufferSize: maxBufferBytes,
      maxStorageBufferBindingSize: maxBindingBytes,
      maxComputeWorkgroupStorageSize: WORKGROUP_STORAGE_BYTES,
      maxComputeInvocationsPerWorkgroup: INVOCATIONS_PER_WORKGROUP,
      maxStorageBuffersPerShaderStage: STORAGE_BUFFERS_PER_STAGE,
    },
  });
  const context: GpuContext = {
    gpu,
    device,
    limits: {
      maxBindingBytes,
      maxBufferBytes,
      maxWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
    },
    features: {
      shaderF16: adapter.features.has('shader-f16'),
      subgroups: subgroups && device.features.has('subgroups'),
      fallback: isFallback(adapter),
    },
    lostReason: null,
  };
  device.lost.then((info) => {
    context.lostReason = info.message || info.reason || 'unknown reason';
  });
  return context;
}

function isFallback(adapter: GPUAdapter): boolean {
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  return info.isFallbackAdapter === true || info.architecture === 'swiftshader';
}

/** Throws a clear error when the device is gone; call before touching it. */
export function assertAlive(context: GpuContext): void {
  if (context.lostReason !== null) {
    throw new WebGpuError(
      'device_lost',
      `The WebGPU device was lost (${context.lostReason}). Load the model again to get a new device.`,
    );
  }
}
