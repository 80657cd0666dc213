/**
 * The runtime choice. `gpu` is a parameter (navigator.gpu cannot exist in Node), so these pass small
 * objects with just `requestAdapter`; wllama (browsers only) is a factory that records what it was
 * given; the CPU runtime is the real one, on the tiny-smollm2 fixture.
 */
import { readdir, readFile } from 'node:fs/promises';
import type { RuntimeFactory } from '@cinder/engine';
import { type ModelSource, memoryModelSource } from '@cinder/model-format';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { autoRuntime, chooseRuntime } from './choose-runtime.ts';
import { ggufFileOf, ggufOnlySource } from './gguf-source.ts';

const gpuRuntime: RuntimeFactory = { backend: 'webgpu', load: () => Promise.reject(new Error('not here')) };
const webgpu = () => gpuRuntime;

/** wllama as far as the choice sees it: a factory; loads are recorded, then fail (no wasm in Node). */
function wllamaStandIn(): RuntimeFactory & { sources: ModelSource[] } {
  const sources: ModelSource[] = [];
  return {
    backend: 'wllama',
    sources,
    async load(source) {
      sources.push(source);
      throw new Error('wllama runs in browsers only');
    },
  };
}

const swiftshader = {
  requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader' } }),
};
const hardware = { requestAdapter: async () => ({ info: { vendor: 'nvidia' } }) };

async function fixture(): Promise<ModelSource> {
  const dir = new URL('../../../.fixtures/tiny-smollm2/', import.meta.url);
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(dir)) files[name] = await readFile(new URL(name, dir));
  return memoryModelSource('tiny-smollm2', files);
}

describe('chooseRuntime', () => {
  it('runs on the CPU where there is no navigator.gpu and no wllama (Node)', async () => {
    expect(await chooseRuntime()).toEqual({
      runtime: cpuRuntime,
      reason: 'no navigator.gpu; CPU runtime (wllama is not enabled)',
    });
  });

  it('picks our WebGPU runtime on a hardware adapter, wllama or not', async () => {
    const wllama = wllamaStandIn();
    expect(await chooseRuntime({ webgpu, gpu: hardware, wllama })).toEqual({
      runtime: gpuRuntime,
      reason: 'WebGPU adapter found',
    });
    expect((await chooseRuntime({ webgpu, gpu: { requestAdapter: async () => ({}) } })).runtime).toBe(
      gpuRuntime,
    );
  });

  it('picks wllama without WebGPU and on a software adapter', async () => {
    const wllama = wllamaStandIn();
    expect(await chooseRuntime({ webgpu, gpu: null, wllama })).toEqual({
      runtime: wllama,
      reason: 'no navigator.gpu; wllama (llama.cpp in WebAssembly)',
    });
    expect(await chooseRuntime({ webgpu, gpu: swiftshader, wllama })).toEqual({
      runtime: wllama,
      reason: 'software WebGPU adapter; wllama (llama.cpp in WebAssembly)',
    });
    const fallback = { requestAdapter: async () => ({ info: { isFallbackAdapter: true } }) };
    expect((await chooseRuntime({ webgpu, gpu: fallback, wllama })).runtime).toBe(wllama);
    expect((await chooseRuntime({ webgpu: null, wllama })).reason).toBe(
      'the WebGPU runtime is not enabled; wllama (llama.cpp in WebAssembly)',
    );
  });

  it('keeps the CPU runtime when wllama is off (wllama: null)', async () => {
    expect(await chooseRuntime({ webgpu, gpu: swiftshader, wllama: null })).toEqual({
      runtime: cpuRuntime,
      reason: 'software WebGPU adapter; CPU runtime (wllama is not enabled)',
    });
    expect((await chooseRuntime({ webgpu, gpu: swiftshader, allowSoftwareAdapter: true })).runtime).toBe(
      gpuRuntime,
    );
  });

  it('falls back without navigator.gpu, with a null adapter, or when requestAdapter hangs', async () => {
    expect((await chooseRuntime({ webgpu, gpu: null })).runtime).toBe(cpuRuntime);
    expect((await chooseRuntime({ webgpu, gpu: { requestAdapter: async () => null } })).runtime).toBe(
      cpuRuntime,
    );
    const hanging = { requestAdapter: () => new Promise<never>(() => {}) };
    const choice = await chooseRuntime({ webgpu, gpu: hanging, adapterTimeoutMs: 20 });
    expect(choice).toMatchObject({
      runtime: cpuRuntime,
      reason: 'no WebGPU adapter; CPU runtime (wllama is not enabled)',
    });
  });
});

describe('autoRuntime', () => {
  it('chooses once, on the first load', async () => {
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

  it('gives wllama a safetensors model as its GGUF conversion, and runs it on the CPU when wllama fails', async () => {
    const wllama = wllamaStandIn();
    const auto = autoRuntime({ webgpu, gpu: null, wllama });
    const source = await fixture();
    const runtime = await auto.load(source);
    expect(wllama.sources).toHaveLength(1);
    expect(ggufFileOf(wllama.sources[0])).toBe('model-q8_0.gguf');
    expect(wllama.sources[0].id).toBe('tiny-smollm2');
    // the converted source still has the model's own files
    expect(await (await wllama.sources[0].file('config.json'))?.json()).toMatchObject({
      model_type: 'llama',
    });
    expect(runtime.backend).toBe('cpu');
    await runtime.dispose();
  });

  it('sends a GGUF-only model to wllama even with a hardware adapter, and refuses it without wllama', async () => {
    const wllama = wllamaStandIn();
    const gguf = ggufOnlySource(memoryModelSource('m', { 'm.gguf': new Uint8Array(8) }), 'm.gguf');
    await expect(autoRuntime({ webgpu, gpu: hardware, wllama }).load(gguf)).rejects.toThrow('browsers only');
    expect(wllama.sources).toEqual([gguf]);
    await expect(autoRuntime({ webgpu, gpu: hardware }).load(gguf)).rejects.toThrow(
      'Model m is a GGUF file: only wllama runs it',
    );
  });

  it('does not fall back when the load was aborted', async () => {
    const wllama = wllamaStandIn();
    const auto = autoRuntime({ webgpu, gpu: null, wllama });
    const controller = new AbortController();
    controller.abort();
    await expect(auto.load(await fixture(), { signal: controller.signal })).rejects.toThrow('browsers only');
  });
});
