/**
 * The default binding's pure parts over the real @cinder/runtime-webllm (WebLLM's own catalogue code
 * runs in Node; loading needs WebGPU and a download, covered by e2e/browser/webllm-*.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { defaultWebLlm } from './webllm-default.ts';

const record = (id: string) => ({
  model: `https://huggingface.co/mlc-ai/${id}`,
  model_id: id,
  model_lib: `https://libs.example/${id}.wasm`,
});

describe('defaultWebLlm', () => {
  const webllm = defaultWebLlm({
    model_list: [record('SmolLM2-360M-Instruct-q4f16_1-MLC'), record('SmolLM2-360M-Instruct-q4f32_1-MLC')],
  });

  it('describes models: f16 quantizations need shader-f16, download sizes are unknown', () => {
    expect(webllm.models(webllm.appConfig)).toEqual([
      {
        id: 'SmolLM2-360M-Instruct-q4f16_1-MLC',
        sizeBytes: null,
        needsShaderF16: true,
        contextLength: undefined,
      },
      {
        id: 'SmolLM2-360M-Instruct-q4f32_1-MLC',
        sizeBytes: null,
        needsShaderF16: false,
        contextLength: undefined,
      },
    ]);
  });

  it("picks WebLLM's f32 variant without shader-f16, and null where there is none", () => {
    expect(webllm.pickVariant('SmolLM2-360M-Instruct-q4f16_1-MLC', { shaderF16: false })).toBe(
      'SmolLM2-360M-Instruct-q4f32_1-MLC',
    );
    expect(webllm.pickVariant('SmolLM2-360M-Instruct-q4f16_1-MLC', { shaderF16: true })).toBe(
      'SmolLM2-360M-Instruct-q4f16_1-MLC',
    );
    expect(webllm.pickVariant('not-a-webllm-model', { shaderF16: false })).toBeNull();
  });
});
