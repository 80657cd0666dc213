/**
 * Pipelines (compiled once per device and WGSL source) and the Recorder, which collects one
 * step's dispatches and copies into a single command buffer and counts what it records.
 */

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The compute pipeline of a WGSL module with entry point `main`, compiled once per device. */
export function computePipeline(device: GPUDevice, code: string, label: string): GPUComputePipeline {
  let cache = pipelines.get(device);
  if (!cache) {
    cache = new Map();
    pipelines.set(device, cache);
  }
  let pipeline = cache.get(code);
  if (!pipeline) {
    const module = device.createShaderModule({ label, code });
    pipeline = device.createComputePipeline({
      label,
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    cache.set(code, pipeline);
  }
  return pipeline;
}

/** A bind group for binding slots 0..n-1 of group 0, in order. */
export function bindGroup(
  device: GPUDevice,
  pipeline: GPUComputePipeline,
  buffers: readonly (GPUBuffer | GPUBufferBinding)[],
  label?: string,
): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({
      binding,
      resource: 'buffer' in buffer ? buffer : { buffer },
    })),
  });
}

/** Counters across a runtime's life, for benchmarks. */
export interface GpuCounters {
  dispatches: number;
  submits: number;
  readbackBytes: number;
}

export function newCounters(): GpuCounters {
  return { dispatches: 0, submits: 0, readbackBytes: 0 };
}

export class Recorder {
  readonly encoder: GPUCommandEncoder;
  private pass: GPUComputePassEncoder | null = null;

  constructor(
    readonly device: GPUDevice,
    readonly counters: GpuCounters,
    label = 'step',
  ) {
    this.encoder = device.createCommandEncoder({ label });
  }

  dispatch(pipeline: GPUComputePipeline, group: GPUBindGroup, x: number, y = 1, z = 1): void {
    if (x === 0 || y === 0 || z === 0) return;
    if (!this.pass) this.pass = this.encoder.beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, group);
    this.pass.dispatchWorkgroups(x, y, z);
    this.counters.dispatches++;
  }

  copy(source: GPUBuffer, sourceOffset: number, target: GPUBuffer, targetOffset: number, size: number): void {
    if (size === 0) return;
    this.endPass();
    this.encoder.copyBufferToBuffer(source, sourceOffset, target, targetOffset, size);
  }

  /** Finishes the command buffer and submits it: one submit. */
  submit(): void {
    this.endPass();
    this.device.queue.submit([this.encoder.finish()]);
    this.counters.submits++;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
}
