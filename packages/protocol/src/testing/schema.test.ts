import { describe, expect, it } from 'vitest';
import { SCHEMA_DEFINITIONS, validateAgainstSchema } from './schema.ts';

describe('validateAgainstSchema', () => {
  it('knows the root definitions', () => {
    for (const name of [
      'CreateChatCompletionRequest',
      'CreateChatCompletionResponse',
      'CreateChatCompletionStreamResponse',
      'ErrorResponse',
      'ListModelsResponse',
      'Model',
    ]) {
      expect(SCHEMA_DEFINITIONS).toContain(name);
    }
  });

  it('returns no errors for a valid value and readable errors for an invalid one', () => {
    expect(validateAgainstSchema('Model', { id: 'm', object: 'model', created: 1, owned_by: 'x' })).toEqual(
      [],
    );
    const errors = validateAgainstSchema('Model', { id: 'm', object: 'model', created: 1.5 });
    expect(errors.join('\n')).toMatch(/owned_by/);
    expect(errors.join('\n')).toMatch(/\/created must be integer/);
  });

  it('checks formats (uri, date)', () => {
    expect(
      validateAgainstSchema('Model', {
        id: 'm',
        object: 'model',
        created: 1,
        owned_by: 'x',
        shutdown_date: 'soon',
      }),
    ).not.toEqual([]);
    expect(
      validateAgainstSchema('Model', {
        id: 'm',
        object: 'model',
        created: 1,
        owned_by: 'x',
        shutdown_date: '2030-01-01',
      }),
    ).toEqual([]);
  });

  it('rejects an unknown definition name', () => {
    expect(() => validateAgainstSchema('NoSuchThing', {})).toThrow(/no definition/);
  });

  it('models unknown-key rejection in the strict request definition', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
    expect(validateAgainstSchema('CreateChatCompletionRequestStrict', body)).toEqual([]);
    expect(validateAgainstSchema('CreateChatCompletionRequestStrict', { ...body, foo: 1 })).not.toEqual([]);
  });
});
