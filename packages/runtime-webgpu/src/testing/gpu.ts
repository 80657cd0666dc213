/**
 * Test helpers (Node only): one device per test process from host-node's Dawn GPU, buffer
 * upload / readback, and the abs + rel tolerance check the kernel tests use.
 */
import { nodeGpu } from '@cinder/host-node';
import { acquireDevice, type GpuContext } from '../gpu/device.ts';
import { MapMode, READBACK, STORAGE, writeArray } from '../gpu/usage.ts';
import { createPassBuffer, type PassDims, writePass } from '../kernels/pass.ts';

let shared: Promise<GpuContext> | null = null;

/** The test process's device (created once). */
export function testContext(): Promise<GpuContext> {
  shared ??= acquireDevice(nodeGpu());
  return shared;
}

export function upload(device: GPUDevice, values: Float32Array | Uint32Array | Int32Array): GPUBuffer {
  const buffer = device.createBuffer({ size: Math.max(16, values.byteLength), usage: STORAGE });
  writeArray(device, buffer, 0, values);
  return buffer;
}

export function emptyBuffer(device: GPUDevice, bytes: number): GPUBuffer {
  return device.createBuffer({ size: Math.max(16, bytes), usage: STORAGE });
}

export async function readBuffer(device: GPUDevice, buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({ size: bytes, usage: READBACK });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(MapMode.READ);
  const copy = staging.getMappedRange().slice(0);
  staging.unmap();
  staging.destroy();
  return copy;
}

export async function readF32(device: GPUDevice, buffer: GPUBuffer, count: number): Promise<Float32Array> {
  return new Float32Array(await readBuffer(device, buffer, count * 4));
}

export function passBuffer(device: GPUDevice, dims: Partial<PassDims>): GPUBuffer {
  const buffer = createPassBuffer(device);
  writePass(device, buffer, { rows: 0, logitRows: 0, sampled: 0, attnChunks: 1, attnChunkLen: 64, ...dims });
  return buffer;
}

/** Largest |a - b| / (abs + rel * |b|) over the arrays: <= 1 means within tolerance. */
export function toleranceRatio(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  abs: number,
  rel: number,
) {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = 0;
  let maxAbsDiff = 0;
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i] - expected[i]);
    maxAbsDiff = Math.max(maxAbsDiff, diff);
    worst = Math.max(worst, diff / (abs + rel * Math.abs(expected[i])));
    if (Number.isNaN(diff)) return { ratio: Number.POSITIVE_INFINITY, maxAbsDiff: Number.NaN };
  }
  return { ratio: worst, maxAbsDiff };
}

/** Seeded uniform values in [-scale, scale). */
export function randomValues(random: () => number, count: number, scale = 1): Float32Array {
  return new Float32Array(count).map(() => (random() * 2 - 1) * scale);
}
