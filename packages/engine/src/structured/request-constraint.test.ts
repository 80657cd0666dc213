import { type ChatCompletionRequest, validateChatCompletionRequest } from '@cinder/protocol';
import { describe, expect, it } from 'vitest';
import { leafParam } from './constraint.ts';
import { requestConstraint } from './request-constraint.ts';

const request = (fields: Record<string, unknown>): ChatCompletionRequest =>
  validateChatCompletionRequest({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...fields });

describe('requestConstraint', () => {
  it('is null for plain text', () => {
    expect(requestConstraint(request({}))).toBeNull();
    expect(requestConstraint(request({ response_format: { type: 'text' } }))).toBeNull();
  });

  it('maps response_format json_object and json_schema to schema leaves', () => {
    const object = requestConstraint(request({ response_format: { type: 'json_object' } }));
    expect(object?.format).toEqual({ type: 'json_schema', json_schema: { type: 'object' } });
    const schema = { type: 'object', properties: { a: { type: 'integer' } } };
    const named = requestConstraint(
      request({ response_format: { type: 'json_schema', json_schema: { name: 'x', strict: true, schema } } }),
    );
    expect(named?.format).toEqual({ type: 'json_schema', json_schema: schema });
    expect(named?.param).toBe('response_format.json_schema.schema');
    expect(named?.json.anyWhitespace).toBe(true);
  });

  it('maps every structured_outputs kind, with its options', () => {
    const json = requestConstraint(
      request({ structured_outputs: { json: '{"type":"integer"}', disable_any_whitespace: true } }),
    );
    expect(json?.format).toEqual({ type: 'json_schema', json_schema: { type: 'integer' } });
    expect(json?.json).toEqual({ anyWhitespace: false, whitespacePattern: null });
    expect(json?.param).toBe('structured_outputs.json');
    expect(requestConstraint(request({ structured_outputs: { regex: 'a+' } }))?.format).toEqual({
      type: 'regex',
      pattern: 'a+',
    });
    expect(requestConstraint(request({ structured_outputs: { choice: ['a', 'b'] } }))?.format).toEqual({
      type: 'or',
      elements: [
        { type: 'const_string', value: 'a' },
        { type: 'const_string', value: 'b' },
      ],
    });
    expect(requestConstraint(request({ structured_outputs: { choice: ['only'] } }))?.format).toEqual({
      type: 'const_string',
      value: 'only',
    });
    expect(requestConstraint(request({ structured_outputs: { grammar: 'root ::= "x"' } }))?.param).toBe(
      'structured_outputs.grammar',
    );
    const ws = requestConstraint(
      request({ structured_outputs: { json_object: true, whitespace_pattern: ' ?' } }),
    );
    expect(ws?.json).toEqual({ anyWhitespace: true, whitespacePattern: ' ?' });
  });

  it('reads structural tags in the current and the legacy form', () => {
    const format = { type: 'const_string', value: 'x' };
    expect(
      requestConstraint(request({ response_format: { type: 'structural_tag', format } }))?.format,
    ).toEqual(format);
    const legacy = requestConstraint(
      request({
        structured_outputs: {
          structural_tag: JSON.stringify({
            structures: [{ begin: '<f>', schema: { type: 'object' }, end: '</f>' }],
            triggers: ['<f'],
          }),
        },
      }),
    );
    expect(legacy?.format).toMatchObject({ type: 'triggered_tags', triggers: ['<f'] });
  });

  it('refuses schemas and tags that cannot work, naming the param', () => {
    const fail = (fields: Record<string, unknown>) => {
      try {
        requestConstraint(request(fields));
      } catch (error) {
        return error as { status: number; param: string };
      }
      throw new Error('expected a 400');
    };
    expect(fail({ structured_outputs: { json: 'false' } })).toMatchObject({
      status: 400,
      param: 'structured_outputs.json',
    });
    expect(fail({ structured_outputs: { structural_tag: '{nope' } })).toMatchObject({
      param: 'structured_outputs.structural_tag',
    });
    expect(fail({ structured_outputs: { structural_tag: '{"a": 1}' } }).param).toBe(
      'structured_outputs.structural_tag',
    );
  });

  it('leaves carry no param of their own (errors go to the constraint param)', () => {
    const constraint = requestConstraint(request({ response_format: { type: 'json_object' } }));
    expect(leafParam(constraint!.format)).toBeUndefined();
  });
});
