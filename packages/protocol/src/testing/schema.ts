/**
 * Test support (imports ajv, so it is not exported from the package index): validate a value
 * against one definition of OpenAI's JSON Schemas (packages/protocol/spec/openai-schemas.json,
 * draft 2020-12), e.g. `validateAgainstSchema('CreateChatCompletionStreamResponse', chunk)`.
 * Other packages import it by path: `@cinder/protocol/src/testing/schema.ts` or a relative path.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import schema from '../../spec/openai-schemas.json' with { type: 'json' };

// ajv-formats is CommonJS; depending on the loader its default import is the function or a module object.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

const SCHEMA_ID = schema.$id;

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(defName: string): ValidateFunction {
  let validate = compiled.get(defName);
  if (validate) return validate;
  if (!(defName in schema.$defs)) throw new Error(`openai-schemas.json has no definition '${defName}'`);
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(schema);
  }
  validate = ajv.compile({ $ref: `${SCHEMA_ID}#/$defs/${defName}` });
  compiled.set(defName, validate);
  return validate;
}

/** Schema errors as `"<path> <message>"` lines; empty when `value` is valid. */
export function validateAgainstSchema(defName: string, value: unknown): string[] {
  const validate = validator(defName);
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Every definition name in the schema file. */
export const SCHEMA_DEFINITIONS: readonly string[] = Object.keys(schema.$defs);
