/**
 * webLlmCatalog's own decisions: what it lists on a GPU with and without shader-f16 (or none), the
 * 400 that names the f32 variant, cached state, delete, storage, and a failed load as a clear error.
 * WebLLM itself cannot run here (no model can be downloaded, Node has no WebGPU), so the binding is a
 * stand-in that records what the catalog asks of it.
 */
import type { Engine } from '@cinder/engine';
import { ApiError } from '@cinder/protocol';
import { describe, expect, it } from 'vitest';
import type { FeatureGpu } from './gpu-features.ts';
import type { WebLlmAppConfig, WebLlmBinding } from './webllm-binding.ts';
import { webLlmCatalog } from './webllm-catalog.ts';

const LIB = 'https://libs.example/';
const record = (id: string, f16 = false) => ({
  model: `https://huggingface.co/mlc-ai/${id}`,
  model_id: id,
  model_lib: `${LIB}${id}.wasm`,
  ...(f16 ? { required_features: ['shader-f16'] } : {}),
});
const APP_CONFIG: WebLlmAppConfig = {
  model_list: [
    record('SmolLM2-135M-Instruct-q0f16-MLC', true),
    record('SmolLM2-135M-Instruct-q0f32-MLC'),
    record('Qwen2.5-0.5B-Instruct-q4f16_1-MLC'),
    record('Qwen2.5-0.5B-Instruct-q4f32_1-MLC'),
  ],
};
const SIZES: Record<string, number> = {
  'SmolLM2-135M-Instruct-q0f16-MLC': 270e6,
  'SmolLM2-135M-Instruct-q0f32-MLC': 540e6,
  'Qwen2.5-0.5B-Instruct-q4f16_1-MLC': 280e6,
  'Qwen2.5-0.5B-Instruct-q4f32_1-MLC': 330e6,
};

function standIn(cached: string[] = []) {
  const calls: string[] = [];
  const engine = { chat: { completions: { create: async () => ({}) } } } as unknown as Engine;
  const binding: WebLlmBinding & { calls: string[]; failWith?: unknown } = {
    calls,
    appConfig: APP_CONFIG,
    models: (config) =>
      config.model_list.map((r) => ({
        id: r.model_id,
        sizeBytes: SIZES[r.model_id] ?? null,
        needsShaderF16: /f16/.test(r.model_id),
      })),
    pickVariant: (id, { shaderF16 }) => (shaderF16 ? id : id.replace(/f16/, 'f32')),
    async load(id, options) {
      calls.push(`load ${id}`);
      options.onProgress?.({ loaded: 1, total: 2, file: 'params_shard_0.bin' });
      if (binding.failWith) throw binding.failWith;
      return { id };
    },
    createEngine: ({ modelId }) => {
      calls.push(`createEngine ${modelId}`);
      return engine;
    },
    storage: {
      isCached: async (id) => cached.includes(id),
      async delete(id) {
        calls.push(`delete ${id}`);
        cached.splice(cached.indexOf(id) >>> 0, 1);
      },
    },
  };
  return binding;
}

const gpu = (features: string[]): FeatureGpu => ({
  requestAdapter: async () => ({ features: new Set(features) }),
});

describe('webLlmCatalog', () => {
  it('lists the chosen models with runtime, size and cached state', async () => {
    const catalog = webLlmCatalog({
      webllm: standIn(['Qwen2.5-0.5B-Instruct-q4f16_1-MLC']),
      models: ['SmolLM2-135M-Instruct-q0f16-MLC', 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC'],
      gpu: gpu(['shader-f16']),
    });
    expect(await catalog.list()).toEqual([
      { id: 'SmolLM2-135M-Instruct-q0f16-MLC', runtime: 'webllm', sizeBytes: 270e6, cached: false },
      { id: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC', runtime: 'webllm', sizeBytes: 280e6, cached: true },
    ]);
    expect(await catalog.storageUsed?.()).toBe(280e6);
  });

  it('without shader-f16: lists the f32 variants, and a request for an f16 id is a 400 naming it', async () => {
    const webllm = standIn();
    const catalog = webLlmCatalog({
      webllm,
      models: ['SmolLM2-135M-Instruct-q0f16-MLC', 'SmolLM2-135M-Instruct-q0f32-MLC'],
      gpu: gpu([]),
    });
    expect((await catalog.list()).map((model) => model.id)).toEqual(['SmolLM2-135M-Instruct-q0f32-MLC']);
    const error = await catalog.entry('SmolLM2-135M-Instruct-q0f16-MLC').catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, param: 'model', code: 'model_not_supported' });
    expect((error as Error).message).toContain("use 'SmolLM2-135M-Instruct-q0f32-MLC' instead");
    expect(webllm.calls).toEqual([]); // decided before any download
    expect(await catalog.entry('SmolLM2-135M-Instruct-q0f32-MLC')).toMatchObject({
      kind: 'engine',
      runtime: 'webllm',
    });
  });

  it('the f32 variant of a chosen f16 model is served even when only the f16 id was chosen', async () => {
    const catalog = webLlmCatalog({
      webllm: standIn(),
      models: ['Qwen2.5-0.5B-Instruct-q4f16_1-MLC'],
      gpu: gpu([]),
    });
    expect((await catalog.list()).map((model) => model.id)).toEqual(['Qwen2.5-0.5B-Instruct-q4f32_1-MLC']);
    expect(await catalog.entry('Qwen2.5-0.5B-Instruct-q4f32_1-MLC')).not.toBeNull();
    expect(await catalog.entry('SmolLM2-135M-Instruct-q0f32-MLC')).toBeNull(); // not chosen
  });

  it('without a WebGPU adapter nothing is listed and a request is a 400', async () => {
    const catalog = webLlmCatalog({ webllm: standIn(), gpu: null });
    expect(await catalog.list()).toEqual([]);
    await expect(catalog.entry('SmolLM2-135M-Instruct-q0f32-MLC')).rejects.toMatchObject({
      status: 400,
      code: 'model_not_supported',
    });
    expect(await catalog.entry('not-a-webllm-model')).toBeNull();
  });

  it('custom MLC models join the app config WebLLM loads from', async () => {
    const webllm = standIn();
    let seen: WebLlmAppConfig | null = null;
    const load = webllm.load;
    webllm.load = (id, options) => {
      seen = options.appConfig;
      return load(id, options);
    };
    const catalog = webLlmCatalog({
      webllm,
      models: [],
      custom: [
        {
          id: 'mine',
          url: 'https://example.test/mine/resolve/main/',
          modelLib: 'https://example.test/mine.wasm',
          sizeBytes: 5,
        },
      ],
      gpu: gpu([]),
    });
    expect(await catalog.list()).toEqual([{ id: 'mine', runtime: 'webllm', sizeBytes: 5, cached: false }]);
    const entry = await catalog.entry('mine');
    if (entry?.kind !== 'engine') throw new Error('expected an engine entry');
    const progress: unknown[] = [];
    const loaded = await entry.load({ onProgress: (event) => progress.push(event) });
    expect(loaded.info).toMatchObject({ id: 'mine', backend: 'webllm', weightBytes: 5 });
    expect(progress).toEqual([{ loaded: 1, total: 2, file: 'params_shard_0.bin' }]);
    expect(seen!.model_list.at(-1)).toEqual({
      model: 'https://example.test/mine/resolve/main/',
      model_id: 'mine',
      model_lib: 'https://example.test/mine.wasm',
    });
    expect(webllm.calls).toEqual(['load mine', 'createEngine mine']);
  });

  it('when WebLLM cannot be loaded it serves nothing: chosen ids are a 503, others unknown', async () => {
    const catalog = webLlmCatalog({
      webllm: Promise.reject(new Error('the WebLLM bundle failed to load')),
      models: ['SmolLM2-135M-Instruct-q0f32-MLC'],
      gpu: gpu([]),
    });
    expect(await catalog.list()).toEqual([]);
    expect(await catalog.storageUsed?.()).toBe(0);
    await catalog.delete?.('SmolLM2-135M-Instruct-q0f32-MLC');
    expect(await catalog.entry('tiny-smollm2')).toBeNull();
    const error = await catalog.entry('SmolLM2-135M-Instruct-q0f32-MLC').catch((cause: unknown) => cause);
    expect(error).toMatchObject({ status: 503, code: 'webllm_unavailable' });
    expect((error as Error).message).toContain('the WebLLM bundle failed to load');
  });

  it('delete asks WebLLM to forget the files of its own models only', async () => {
    const webllm = standIn(['SmolLM2-135M-Instruct-q0f32-MLC']);
    const catalog = webLlmCatalog({ webllm, gpu: gpu([]) });
    await catalog.delete?.('SmolLM2-135M-Instruct-q0f32-MLC');
    await catalog.delete?.('tiny-smollm2');
    expect(webllm.calls).toEqual(['delete SmolLM2-135M-Instruct-q0f32-MLC']);
    expect((await catalog.list()).every((model) => !model.cached)).toBe(true);
  });

  it('a failed load names the missing file (found by asking its URLs)', async () => {
    const webllm = standIn();
    webllm.failWith = new TypeError("Failed to execute 'add' on 'Cache': Request failed");
    const probed: string[] = [];
    const catalog = webLlmCatalog({
      webllm,
      gpu: gpu([]),
      fetch: async (input) => {
        probed.push(String(input));
        return new Response(null, { status: String(input).endsWith('.wasm') ? 404 : 200 });
      },
    });
    const entry = await catalog.entry('SmolLM2-135M-Instruct-q0f32-MLC');
    if (entry?.kind !== 'engine') throw new Error('expected an engine entry');
    const error = await entry.load({}).catch((cause: unknown) => cause);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 500, type: 'server_error', code: 'model_load_failed' });
    expect((error as Error).message).toBe(
      `WebLLM could not load the model 'SmolLM2-135M-Instruct-q0f32-MLC': its model library ${LIB}SmolLM2-135M-Instruct-q0f32-MLC.wasm answered HTTP 404 (Failed to execute 'add' on 'Cache': Request failed).`,
    );
    expect(probed).toEqual([`${LIB}SmolLM2-135M-Instruct-q0f32-MLC.wasm`]);
  });
});
