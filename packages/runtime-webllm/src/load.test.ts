/**
 * loadWebLlm with a stand-in engine in place of MLCEngine (no WebGPU adapter nor MLC model here);
 * the progress texts are the ones WebLLM 0.2.86's tensor-cache loader writes (lib/index.js ~8200).
 */
import type { LoadProgress } from '@cinder/engine';
import type { InitProgressReport, MLCEngineConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { loadWebLlm, mapInitProgress, type WebLlmLoadable } from './load.ts';
import { webLlmStorage } from './storage.ts';
import { recordingWebLlmEngine } from './testing/recording-engine.ts';

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';

function standIn(reload: (config: MLCEngineConfig) => Promise<void>) {
  let unloaded = 0;
  const create = (config: MLCEngineConfig): WebLlmLoadable => ({
    ...recordingWebLlmEngine([]),
    reload: () => reload(config),
    unload: async () => {
      unloaded += 1;
    },
  });
  return { create, unloaded: () => unloaded };
}

describe('mapInitProgress', () => {
  test('fetched MB and the byte fraction -> loaded / total (to ~1 MB)', () => {
    const report: InitProgressReport = {
      progress: 0.25,
      timeElapsed: 3,
      text: 'Fetching param cache[3/12]: 100MB fetched. 25% completed, 3 secs elapsed. It can take a while…',
    };
    expect(mapInitProgress(report)).toEqual({
      loaded: 100 * 2 ** 20,
      total: 400 * 2 ** 20,
      file: 'params_shard 3/12',
    });
    expect(
      mapInitProgress({
        progress: 0.5,
        timeElapsed: 1,
        text: 'Loading model from cache[6/12]: 200MB loaded. 50% completed, 1 secs elapsed.',
      }).loaded,
    ).toBe(200 * 2 ** 20);
  });

  test('reports without an amount keep their text and claim nothing', () => {
    expect(mapInitProgress({ progress: 0, timeElapsed: 0, text: 'Start to fetch params' })).toEqual({
      loaded: 0,
      total: null,
      file: 'Start to fetch params',
    });
  });
});

describe('loadWebLlm', () => {
  test('reloads the model and forwards progress', async () => {
    const seen: LoadProgress[] = [];
    const { create } = standIn(async (config) => {
      config.initProgressCallback?.({
        progress: 0.5,
        timeElapsed: 1,
        text: 'Fetching param cache[1/2]: 10MB fetched. 50% completed',
      });
    });
    const engine = await loadWebLlm(MODEL, {
      createEngine: create,
      skipWebGpuCheck: true,
      onProgress: (p) => seen.push(p),
    });
    expect(typeof engine.chatCompletion).toBe('function');
    expect(seen).toEqual([{ loaded: 10 * 2 ** 20, total: 20 * 2 ** 20, file: 'params_shard 1/2' }]);
  });

  test('unknown model: 404 before anything is created; no WebGPU: 503', async () => {
    await expect(loadWebLlm('nope', { skipWebGpuCheck: true })).rejects.toMatchObject({ status: 404 });
    await expect(loadWebLlm(MODEL)).rejects.toMatchObject({ status: 503, code: 'webgpu_unavailable' });
  });

  test('WebLLM failures become ApiErrors and the engine is unloaded', async () => {
    const missingLib = new Error('Cannot find model lib');
    missingLib.name = 'MissingModelError';
    const { create, unloaded } = standIn(async () => {
      throw missingLib;
    });
    await expect(loadWebLlm(MODEL, { createEngine: create, skipWebGpuCheck: true })).rejects.toMatchObject({
      status: 500,
      code: 'model_library_missing',
    });
    expect(unloaded()).toBe(1);
    const { create: noGpu } = standIn(async () => {
      throw 'WebGPUNotAvailableError: WebGPU is not supported in your current environment';
    });
    await expect(loadWebLlm(MODEL, { createEngine: noGpu, skipWebGpuCheck: true })).rejects.toMatchObject({
      status: 503,
    });
  });

  test('a reload that never ends and reports nothing: 504 after the stall timeout, never a hang', async () => {
    const { create, unloaded } = standIn(() => new Promise<void>(() => {}));
    await expect(
      loadWebLlm(MODEL, { createEngine: create, skipWebGpuCheck: true, stallTimeoutMs: 20 }),
    ).rejects.toMatchObject({ status: 504, code: 'load_stalled' });
    expect(unloaded()).toBe(1);
  });

  test('abort: rejects with the signal reason and unloads', async () => {
    const { create, unloaded } = standIn(() => new Promise<void>(() => {}));
    const controller = new AbortController();
    const pending = loadWebLlm(MODEL, {
      createEngine: create,
      skipWebGpuCheck: true,
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(unloaded()).toBe(1);
  });
});

describe('webLlmStorage', () => {
  test('an unknown model is a 404 ApiError', async () => {
    await expect(webLlmStorage.isCached('nope')).rejects.toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    await expect(webLlmStorage.delete('nope')).rejects.toMatchObject({ status: 404 });
  });
});
