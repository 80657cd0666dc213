import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { hasShaderF16, pickWebLlmVariant, webLlmModels } from './catalog.ts';

describe('webLlmModels (WebLLM 0.2.86 prebuiltAppConfig)', () => {
  const models = webLlmModels();
  const byId = new Map(models.map((m) => [m.id, m]));

  test('every prebuilt record, with what exists of its size', () => {
    expect(models).toHaveLength(prebuiltAppConfig.model_list.length);
    expect(byId.get('SmolLM2-360M-Instruct-q4f32_1-MLC')).toMatchObject({
      kind: 'llm',
      vramMB: 579.61,
      needsShaderF16: false,
    });
    expect(byId.get('SmolLM2-135M-Instruct-q0f16-MLC')).toMatchObject({
      lowResource: true,
      needsShaderF16: true,
    });
  });

  test('f16 quantizations need shader-f16 even when the record does not declare it', () => {
    const record = prebuiltAppConfig.model_list.find(
      (r) => r.model_id === 'Llama-3.2-1B-Instruct-q4f16_1-MLC',
    );
    expect(record?.required_features ?? []).not.toContain('shader-f16');
    expect(byId.get('Llama-3.2-1B-Instruct-q4f16_1-MLC')?.needsShaderF16).toBe(true);
    expect(models.filter((m) => /q\df32|q0f32/.test(m.id)).every((m) => !m.needsShaderF16)).toBe(true);
  });

  test('kinds: embedding and vision models are marked', () => {
    expect(models.some((m) => m.kind === 'embedding')).toBe(true);
    expect(models.some((m) => m.kind === 'vlm')).toBe(true);
  });
});

describe('pickWebLlmVariant', () => {
  test('keeps the model when shader-f16 exists or it is f32 already', () => {
    expect(pickWebLlmVariant('Llama-3.2-1B-Instruct-q4f16_1-MLC', { shaderF16: true })).toBe(
      'Llama-3.2-1B-Instruct-q4f16_1-MLC',
    );
    expect(pickWebLlmVariant('Llama-3.2-1B-Instruct-q4f32_1-MLC', { shaderF16: false })).toBe(
      'Llama-3.2-1B-Instruct-q4f32_1-MLC',
    );
  });

  test('q4f16_1 -> q4f32_1 and q0f16 -> q0f32 without shader-f16', () => {
    expect(pickWebLlmVariant('Llama-3.2-1B-Instruct-q4f16_1-MLC', { shaderF16: false })).toBe(
      'Llama-3.2-1B-Instruct-q4f32_1-MLC',
    );
    expect(pickWebLlmVariant('SmolLM2-135M-Instruct-q0f16-MLC', { shaderF16: false })).toBe(
      'SmolLM2-135M-Instruct-q0f32-MLC',
    );
  });

  test('no f32 variant: a 400 naming the model; unknown: 404', () => {
    expect(() => pickWebLlmVariant('Llama-3.1-70B-Instruct-q3f16_1-MLC', { shaderF16: false })).toThrow(
      expect.objectContaining({ status: 400, code: 'shader_f16_required', param: 'model' }),
    );
    expect(() => pickWebLlmVariant('nope', { shaderF16: true })).toThrow(
      expect.objectContaining({ status: 404 }),
    );
  });
});

describe('hasShaderF16', () => {
  const gpu = (features: string[] | null) => ({
    requestAdapter: async () => (features ? { features: new Set(features) } : null),
  });
  test('reads adapter.features; false without an adapter or WebGPU', async () => {
    expect(await hasShaderF16(gpu(['shader-f16']))).toBe(true);
    expect(await hasShaderF16(gpu([]))).toBe(false);
    expect(await hasShaderF16(gpu(null))).toBe(false);
    expect(await hasShaderF16(undefined)).toBe(false);
  });
});
