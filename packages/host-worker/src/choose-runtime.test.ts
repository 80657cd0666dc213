/**
 * The runtime choice. `gpu` is a parameter (navigator.gpu cannot exist in Node), so these pass small
 * objects with just `requestAdapter`; the CPU fallback is the real CPU runtime.
 */
import type { RuntimeFactory } from '@cinder/engine';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { autoRuntime, chooseRuntime } from './choose-runtime.ts';

const gpuRuntime: RuntimeFactory = { backend: 'webgpu', load: () => Promise.reject(new Error('not here')) };
const webgpu = () => gpuRuntime;

describe('chooseRuntime', () => {
  it('runs on the CPU where there is no navigator.gpu (Node)', async () => {
    expect((await chooseRuntime()).runtime).toBe(cpuRuntime);
  });

  it('keeps the CPU runtime on a software adapter (SwiftShader) unless asked otherwise', async () => {
    const swiftshader = {
      requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader' } }),
    };
    const fallback = { requestAdapter: async () => ({ info: { isFallbackAdapter: true } }) };
    expect(await chooseRuntime({ webgpu, gpu: swiftshader })).toMatchObject({
      runtime: cpuRuntime,
      reason: 'software WebGPU adapter (the CPU runtime is faster)',
    });
    expect((await chooseRuntime({ webgpu, gpu: fallback })).runtime).toBe(cpuRuntime);
    expect((await chooseRuntime({ webgpu, gpu: swiftshader, allowSoftwareAdapter: true })).runtime).toBe(
      gpuRuntime,
    );
  });

  it('picks WebGPU when an adapter is there', async () => {
    const choice = await chooseRuntime({ webgpu, gpu: { requestAdapter: async () => ({}) } });
    expect(choice.runtime).toBe(gpuRuntime);
  });

  it('falls back to the CPU without navigator.gpu, with a null adapter, or when requestAdapter hangs', async () => {
    expect((await chooseRuntime({ webgpu, gpu: null })).runtime).toBe(cpuRuntime);
    expect((await chooseRuntime({ webgpu, gpu: { requestAdapter: async () => null } })).runtime).toBe(
      cpuRuntime,
    );
    const hanging = { requestAdapter: () => new Promise<never>(() => {}) };
    const choice = await chooseRuntime({ webgpu, gpu: hanging, adapterTimeoutMs: 20 });
    expect(choice).toMatchObject({ runtime: cpuRuntime, reason: 'no WebGPU adapter' });
  });

  it('autoRuntime chooses once, on the first load', async () => {
    let asked = 0;
    const gpu = {
      async requestAdapter() {
        asked++;
        return {};
      },
    };
    const auto = autoRuntime({ webgpu, gpu });
    expect(asked).toBe(0);
    await expect(auto.load({ id: 'm', file: async () => null })).rejects.toThrow('not here');
    await expect(auto.load({ id: 'm', file: async () => null })).rejects.toThrow('not here');
    expect(asked).toBe(1);
  });
});
