/**
 * Output constraints -> WebLLM's `response_format`. WebLLM 0.2.86 knows only
 * `{type: 'json_object', schema?: string}`, `{type: 'grammar', grammar}` and
 * `{type: 'structural_tag', structural_tag}`, all compiled by xgrammar; any other `type` (OpenAI's
 * `json_schema` among them) is silently unconstrained, and `json_object` without `schema` fails to
 * compile (`compileJSONSchema(undefined)`). So every kind is spelled in one of the three forms it
 * does enforce:
 *
 * | ours                                   | WebLLM receives                                          |
 * |----------------------------------------|----------------------------------------------------------|
 * | response_format json_object            | json_object, schema '{"type":"object"}'                  |
 * | response_format json_schema            | json_object, schema = JSON of json_schema.schema         |
 * | response_format structural_tag         | structural_tag {type:'structural_tag', format}           |
 * | structured_outputs json / json_object  | json_object with that schema                             |
 * | structured_outputs regex / choice      | structural_tag with a regex / const_string-or format     |
 * | structured_outputs grammar             | grammar (xgrammar EBNF, as cinder's runtime)             |
 * | structured_outputs structural_tag      | structural_tag (current or legacy form)                  |
 *
 * xgrammar compiles JSON schemas here with its defaults (any whitespace, strict: no properties
 * outside the schema), the settings cinder's own runtime uses; the whitespace options of
 * `structured_outputs` cannot be passed to WebLLM and are refused.
 */

import { legacyStructuralTag, parseStructuralTag } from '@cinder/engine';
import type { ChatCompletionRequest } from '@cinder/protocol';
import { invalidParam } from '@cinder/protocol';
import type { WebLlmResponseFormat } from '../webllm-types.ts';
import { notSupported } from './refusals.ts';

const ANY_OBJECT = '{"type":"object"}';

export function mapResponseFormat(request: ChatCompletionRequest): WebLlmResponseFormat | undefined {
  const so = request.structured_outputs;
  if (so) return mapStructuredOutputs(so);
  const format = request.response_format;
  if (!format || format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object', schema: ANY_OBJECT };
  if (format.type === 'json_schema') {
    const schema = format.json_schema.schema;
    return jsonSchema(schema === undefined ? ANY_OBJECT : schema, 'response_format.json_schema.schema');
  }
  if ('format' in format) return structuralTag(format.format);
  return structuralTag(legacyStructuralTag(format.structures, format.triggers));
}

type StructuredOutputs = NonNullable<ChatCompletionRequest['structured_outputs']>;

function mapStructuredOutputs(so: StructuredOutputs): WebLlmResponseFormat | undefined {
  if (so.disable_any_whitespace === true) {
    throw notSupported(
      'structured_outputs.disable_any_whitespace',
      'its JSON grammars always allow any whitespace',
    );
  }
  if (so.whitespace_pattern) {
    throw notSupported(
      'structured_outputs.whitespace_pattern',
      'its JSON grammars always allow any whitespace',
    );
  }
  if (so.json != null) return jsonSchema(so.json, 'structured_outputs.json');
  if (so.json_object) return { type: 'json_object', schema: ANY_OBJECT };
  if (so.regex != null) return structuralTag({ type: 'regex', pattern: so.regex });
  if (so.choice != null) {
    const elements = so.choice.map((value) => ({ type: 'const_string', value }));
    return structuralTag(elements.length === 1 ? elements[0] : { type: 'or', elements });
  }
  if (so.grammar != null) return { type: 'grammar', grammar: so.grammar };
  if (so.structural_tag != null)
    return structuralTag(parseStructuralTag(so.structural_tag, 'structured_outputs.structural_tag'));
  return undefined;
}

/** A schema (object, boolean, or JSON text) as WebLLM's `json_object` + `schema` string. */
function jsonSchema(schema: unknown, param: string): WebLlmResponseFormat {
  let value = schema;
  if (typeof schema === 'string') {
    try {
      value = JSON.parse(schema);
    } catch {
      throw invalid(param, 'the schema is not valid JSON.');
    }
  }
  if (value === false)
    throw invalid(param, 'the schema `false` accepts no value, so no output could satisfy it.');
  if (value === true) value = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(param, 'a JSON schema must be an object (or a boolean).');
  }
  return { type: 'json_object', schema: JSON.stringify(value) };
}

function structuralTag(format: unknown): WebLlmResponseFormat {
  const tag: Record<string, unknown> = { type: 'structural_tag', format };
  return { type: 'structural_tag', structural_tag: tag };
}

function invalid(param: string, why: string) {
  return invalidParam(param, `Invalid '${param}': ${why}`);
}
