/**
 * Output constraints: OpenAI `response_format` (text / json_object / json_schema, plus vLLM's
 * structural_tag) and vLLM `structured_outputs` (exactly one constraint kind).
 */
import { invalidParam } from './errors.ts';
import {
  anyObject,
  arrayOf,
  at,
  bool,
  type Check,
  expectEnum,
  expectObject,
  isObject,
  listValues,
  type Obj,
  required,
  shape,
  str,
  typeError,
} from './validate-values.ts';

/** OpenAI: json_schema.name is "a-z, A-Z, 0-9, underscores and dashes, maximum length of 64". */
const SCHEMA_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const jsonSchemaFormat = shape(
  { name: str({ pattern: SCHEMA_NAME }), description: str(), schema: anyObject, strict: bool },
  ['name'],
);

const legacyStructure = shape({ begin: str(), schema: anyObject, end: str() }, ['begin', 'end']);

function checkStructuralTag(format: Obj, param: string): void {
  if ('format' in format) {
    const inner = expectObject(format.format, at(param, 'format'));
    if (typeof inner.type !== 'string') {
      throw invalidParam(
        at(param, 'format'),
        `Invalid response_format structural_tag specification: '${at(param, 'format')}' must be an object with a string 'type'.`,
      );
    }
    return;
  }
  if (!('structures' in format)) {
    throw invalidParam(
      param,
      `Invalid response_format structural_tag specification: expected a 'format' object, or 'structures' and 'triggers'.`,
      'missing_required_parameter',
    );
  }
  shape(
    {
      structures: arrayOf(legacyStructure, { minItems: 1 }),
      triggers: arrayOf(str({ minLength: 1 }), { minItems: 1 }),
    },
    ['structures', 'triggers'],
  )(format, param);
}

export const checkResponseFormat: Check = (value, param) => {
  const format = expectObject(value, param);
  const type = expectEnum(required(format, 'type', param), at(param, 'type'), [
    'text',
    'json_object',
    'json_schema',
    'structural_tag',
  ]);
  if (type === 'json_schema') {
    if (format.json_schema === undefined || format.json_schema === null) {
      throw invalidParam(
        at(param, 'json_schema'),
        "When response_format type is 'json_schema', the 'json_schema' field must be provided.",
        'missing_required_parameter',
      );
    }
    jsonSchemaFormat(format.json_schema, at(param, 'json_schema'));
  }
  if (type === 'structural_tag') checkStructuralTag(format, param);
};

// ----------------------------------------------------------------------------- structured_outputs

export const CONSTRAINT_KINDS = [
  'json',
  'regex',
  'choice',
  'grammar',
  'json_object',
  'structural_tag',
] as const;

const jsonConstraint: Check = (v, p) => {
  if (isObject(v)) return;
  if (typeof v !== 'string') throw typeError(p, 'a JSON schema object or a string holding one', v);
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    throw invalidParam(p, `Invalid '${p}': the string is not valid JSON. Expected a JSON schema.`);
  }
  if (!isObject(parsed) && typeof parsed !== 'boolean') {
    throw invalidParam(
      p,
      `Invalid '${p}': expected a JSON schema (an object), but the string holds ${typeof parsed}.`,
    );
  }
};

const structuredOutputsShape = shape({
  json: jsonConstraint,
  regex: str(),
  choice: arrayOf(str(), { minItems: 1 }),
  grammar: str({ minLength: 1 }),
  json_object: bool,
  structural_tag: str({ minLength: 1 }),
  disable_fallback: bool,
  disable_any_whitespace: bool,
  disable_additional_properties: bool,
  whitespace_pattern: str(),
  _backend: str(),
  _backend_was_auto: bool,
});

/** The constraint kinds set (not null) in a structured_outputs object. */
export function constraintKinds(value: Obj): string[] {
  return CONSTRAINT_KINDS.filter((key) => value[key] !== undefined && value[key] !== null);
}

export const checkStructuredOutputs: Check = (value, param) => {
  structuredOutputsShape(value, param);
  const kinds = constraintKinds(value as Obj);
  if (kinds.length > 1) {
    throw invalidParam(
      param,
      `You can only use one kind of structured outputs constraint but multiple are specified: ${listValues(kinds)}.`,
    );
  }
  if (kinds.length === 0) {
    throw invalidParam(
      param,
      `You must use one kind of structured outputs constraint but none are specified. Expected one of ${listValues(CONSTRAINT_KINDS)}.`,
      'missing_required_parameter',
    );
  }
};
