import { describe, expect, it } from 'vitest';
import { buildModelList, buildModelObject } from './models.ts';
import { validateAgainstSchema } from './testing/schema.ts';

describe('models', () => {
  it('builds a model object with defaults', () => {
    const model = buildModelObject('qwen3-0.6b');
    expect(model).toMatchObject({ id: 'qwen3-0.6b', object: 'model', owned_by: 'cinder' });
    expect(Number.isInteger(model.created)).toBe(true);
    expect(validateAgainstSchema('Model', model)).toEqual([]);
  });

  it('keeps given fields and vLLM extras', () => {
    const model = buildModelObject('m', {
      created: 1700000000,
      owned_by: 'me',
      root: 'org/m',
      max_model_len: 4096,
    });
    expect(model).toEqual({
      id: 'm',
      object: 'model',
      created: 1700000000,
      owned_by: 'me',
      root: 'org/m',
      max_model_len: 4096,
    });
    expect(validateAgainstSchema('Model', model)).toEqual([]);
  });

  it('builds a list', () => {
    const list = buildModelList([buildModelObject('a'), buildModelObject('b')]);
    expect(list.object).toBe('list');
    expect(list.data.map((m) => m.id)).toEqual(['a', 'b']);
    expect(validateAgainstSchema('ListModelsResponse', list)).toEqual([]);
    expect(validateAgainstSchema('ListModelsResponse', buildModelList([]))).toEqual([]);
  });

  it('adds the hosting extras (runtime, size, cached) and stays schema-valid', () => {
    const model = buildModelObject('SmolLM2-135M-Instruct-q0f32-MLC', {
      created: 1700000000,
      owned_by: 'cinder',
      runtime: 'webllm',
      size_bytes: null,
      cached: false,
    });
    expect(model).toMatchObject({ runtime: 'webllm', size_bytes: null, cached: false });
    expect(validateAgainstSchema('Model', model)).toEqual([]);
    expect(validateAgainstSchema('ListModelsResponse', buildModelList([model]))).toEqual([]);
  });
});
