/**
 * The output constraint a request asks for through OpenAI's `response_format` or vLLM's
 * `structured_outputs` (protocol validation already made sure at most one of them, with one kind,
 * is set). Failures here and at compile time are 400s naming the exact param.
 *
 * - `json_object`: any JSON object. `json_schema`: its `schema` (absent: any object); `strict`
 *   changes nothing, every schema is enforced exactly.
 * - `structured_outputs`: `json` (object or JSON string), `regex`, `choice` (one of the strings),
 *   `grammar` (xgrammar EBNF), `json_object`, `structural_tag` (a JSON string, current or legacy form).
 * - Options: `disable_any_whitespace` (JSON separators `, ` and `: ` only), `whitespace_pattern`,
 *   `disable_additional_properties` (always the case: properties outside the schema are never generated).
 */
import type { ChatCompletionRequest, JsonObject, StructuralTagStructure } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';
import {
  type Constraint,
  DEFAULT_JSON_OPTIONS,
  type JsonOptions,
  type JsonSchemaValue,
  schemaLeaf,
  type TagFormat,
} from './constraint.ts';

const ANY_OBJECT: JsonSchemaValue = { type: 'object' };

export function requestConstraint(request: ChatCompletionRequest): Constraint | null {
  const so = request.structured_outputs;
  if (so) return structuredOutputsConstraint(so);
  const format = request.response_format;
  if (!format || format.type === 'text') return null;
  if (format.type === 'json_object') return json(ANY_OBJECT, 'response_format');
  if (format.type === 'json_schema') {
    const param = 'response_format.json_schema.schema';
    return json(schemaValue(format.json_schema.schema ?? ANY_OBJECT, param), param);
  }
  if ('format' in format) return tag(format.format as unknown as TagFormat, 'response_format');
  return tag(legacyStructuralTag(format.structures, format.triggers), 'response_format');
}

type StructuredOutputs = NonNullable<ChatCompletionRequest['structured_outputs']>;

function structuredOutputsConstraint(so: StructuredOutputs): Constraint | null {
  const options: JsonOptions = {
    anyWhitespace: so.disable_any_whitespace !== true,
    whitespacePattern: so.whitespace_pattern || null,
  };
  if (so.json != null) {
    const param = 'structured_outputs.json';
    const schema = typeof so.json === 'string' ? (JSON.parse(so.json) as unknown) : so.json;
    return json(schemaValue(schema, param), param, options);
  }
  if (so.json_object) return json(ANY_OBJECT, 'structured_outputs.json_object', options);
  if (so.regex != null) {
    return { format: { type: 'regex', pattern: so.regex }, json: options, param: 'structured_outputs.regex' };
  }
  if (so.choice != null) {
    const choices: TagFormat[] = so.choice.map((value) => ({ type: 'const_string', value }));
    const format: TagFormat = choices.length === 1 ? choices[0] : { type: 'or', elements: choices };
    return { format, json: options, param: 'structured_outputs.choice' };
  }
  if (so.grammar != null) {
    return {
      format: { type: 'grammar', grammar: so.grammar },
      json: options,
      param: 'structured_outputs.grammar',
    };
  }
  if (so.structural_tag != null) {
    const param = 'structured_outputs.structural_tag';
    return { ...tag(parseStructuralTag(so.structural_tag, param), param), json: options };
  }
  return null;
}

function json(
  schema: JsonSchemaValue,
  param: string,
  options: JsonOptions = DEFAULT_JSON_OPTIONS,
): Constraint {
  return { format: schemaLeaf(schema), json: options, param };
}

function tag(format: TagFormat, param: string): Constraint {
  return { format, json: DEFAULT_JSON_OPTIONS, param };
}

function schemaValue(schema: unknown, param: string): JsonSchemaValue {
  if (schema === false) {
    throw invalid(param, 'the schema `false` accepts no value, so no output could satisfy it.');
  }
  if (schema === true) return {};
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw invalid(param, 'a JSON schema must be an object (or a boolean).');
  }
  return schema as Record<string, unknown>;
}

/** `{"type": "structural_tag", "format": ...}`, a bare format, or the legacy `{structures, triggers}`. */
export function parseStructuralTag(text: string, param: string): TagFormat {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid(param, 'the structural tag is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(param, 'the structural tag must be a JSON object.');
  }
  const tagObject = value as Record<string, unknown>;
  if (typeof tagObject.format === 'object' && tagObject.format !== null) return tagObject.format as TagFormat;
  if (Array.isArray(tagObject.structures) && Array.isArray(tagObject.triggers)) {
    return legacyStructuralTag(
      tagObject.structures as StructuralTagStructure[],
      tagObject.triggers as string[],
    );
  }
  if (typeof tagObject.type === 'string' && tagObject.type !== 'structural_tag') return value as TagFormat;
  throw invalid(param, "expected a 'format' object, or 'structures' and 'triggers'.");
}

/** vLLM's legacy form: free text, where each trigger starts one of the tagged JSON structures. */
export function legacyStructuralTag(structures: StructuralTagStructure[], triggers: string[]): TagFormat {
  return {
    type: 'triggered_tags',
    triggers,
    tags: structures.map((s) => ({
      type: 'tag',
      begin: s.begin,
      content: schemaLeaf((s.schema as JsonObject | null | undefined) ?? {}),
      end: s.end,
    })) as Extract<TagFormat, { type: 'tag' }>[],
  };
}

export function invalid(param: string, why: string): ApiError {
  return new ApiError(400, `Invalid '${param}': ${why}`, { param, code: 'invalid_value' });
}
