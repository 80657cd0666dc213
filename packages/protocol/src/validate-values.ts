/**
 * Small typed checks for untrusted JSON, each throwing a 400 `ApiError` that names the parameter
 * (a dotted path such as `messages[1].content`) and says what was expected and what was got.
 * Wording follows OpenAI's current messages (`Invalid 'x': ... Expected ..., but got ... instead.`).
 * The `Check` factories at the bottom build the tables in validate-fields.ts.
 */
import { type ApiError, invalidParam } from './errors.ts';

export type Obj = Record<string, unknown>;
/** Throws an ApiError when `value` (found at `param`) is invalid. */
export type Check = (value: unknown, param: string) => void;

// ----------------------------------------------------------------------------- describing values

export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a string", "an integer", "null", ... as OpenAI words it. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return 'a boolean';
  if (typeof value === 'string') return 'a string';
  return `a ${typeof value}`;
}

/** A short printable form of a value for messages. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function listValues(values: readonly unknown[]): string {
  const shown = values.map(show);
  return shown.length <= 1
    ? shown.join('')
    : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

export const at = (param: string, key: string): string => (param ? `${param}.${key}` : key);
export const item = (param: string, index: number): string => `${param}[${index}]`;

// ----------------------------------------------------------------------------- errors

export function typeError(param: string, expected: string, value: unknown): ApiError {
  return invalidParam(
    param,
    `Invalid type for '${param}': expected ${expected}, but got ${kindOf(value)} instead.`,
    'invalid_type',
  );
}

export function missing(param: string): ApiError {
  return invalidParam(param, `Missing required parameter: '${param}'.`, 'missing_required_parameter');
}

export function unsupported(param: string, message: string): ApiError {
  return invalidParam(param, message, 'unsupported_value');
}

// ----------------------------------------------------------------------------- checks that narrow

export function expectObject(value: unknown, param: string): Obj {
  if (!isObject(value)) throw typeError(param, 'an object', value);
  return value;
}

export function expectBoolean(value: unknown, param: string): boolean {
  if (typeof value !== 'boolean') throw typeError(param, 'a boolean', value);
  return value;
}

export interface StringRule {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
}

export function expectString(value: unknown, param: string, rule: StringRule = {}): string {
  if (typeof value !== 'string') throw typeError(param, 'a string', value);
  const { minLength = 0, maxLength, pattern } = rule;
  if (value.length < minLength) {
    const got = value.length === 0 ? 'an empty string' : `a string with length ${value.length}`;
    throw invalidParam(
      param,
      `Invalid '${param}': string too short. Expected a string with minimum length ${minLength}, but got ${got} instead.`,
      value.length === 0 ? 'empty_string' : 'string_below_min_length',
    );
  }
  if (maxLength !== undefined && value.length > maxLength) {
    throw invalidParam(
      param,
      `Invalid '${param}': string too long. Expected a string with maximum length ${maxLength}, but got a string with length ${value.length} instead.`,
      'string_above_max_length',
    );
  }
  if (pattern && !pattern.test(value)) {
    throw invalidParam(
      param,
      `Invalid '${param}': string does not match pattern. Expected a string that matches the pattern '${pattern.source}', but got ${show(value)} instead.`,
      'invalid_value',
    );
  }
  return value;
}

export interface NumberRule {
  min?: number;
  max?: number;
  /** Minimum is exclusive (value must be > min). */
  exclusiveMin?: boolean;
}

function checkRange(value: number, param: string, rule: NumberRule, kind: 'integer' | 'decimal'): number {
  const { min, max, exclusiveMin = false } = rule;
  if (min !== undefined && (exclusiveMin ? value <= min : value < min)) {
    throw invalidParam(
      param,
      `Invalid '${param}': ${kind} below minimum value. Expected a value ${exclusiveMin ? '>' : '>='} ${min}, but got ${value} instead.`,
      `${kind}_below_min_value`,
    );
  }
  if (max !== undefined && value > max) {
    throw invalidParam(
      param,
      `Invalid '${param}': ${kind} above maximum value. Expected a value <= ${max}, but got ${value} instead.`,
      `${kind}_above_max_value`,
    );
  }
  return value;
}

export function expectNumber(value: unknown, param: string, rule: NumberRule = {}): number {
  if (typeof value !== 'number') throw typeError(param, 'a number', value);
  if (!Number.isFinite(value)) throw typeError(param, 'a finite number', value);
  return checkRange(value, param, rule, 'decimal');
}

export function expectInteger(value: unknown, param: string, rule: NumberRule = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(param, 'an integer', value);
  return checkRange(value, param, rule, 'integer');
}

export function expectEnum<T extends string>(value: unknown, param: string, allowed: readonly T[]): T {
  if (typeof value !== 'string') throw typeError(param, 'a string', value);
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidParam(
      param,
      `Invalid value for '${param}': ${show(value)}. Supported values are: ${listValues(allowed)}.`,
      'invalid_value',
    );
  }
  return value as T;
}

export interface ArrayRule {
  minItems?: number;
  maxItems?: number;
}

export function expectArray(value: unknown, param: string, rule: ArrayRule = {}): unknown[] {
  if (!Array.isArray(value)) throw typeError(param, 'an array', value);
  const { minItems = 0, maxItems } = rule;
  if (value.length < minItems) {
    const got = value.length === 0 ? 'an empty array' : `an array with length ${value.length}`;
    throw invalidParam(
      param,
      `Invalid '${param}': ${value.length === 0 ? 'empty array' : 'array too short'}. Expected an array with minimum length ${minItems}, but got ${got} instead.`,
      value.length === 0 ? 'empty_array' : 'array_below_min_length',
    );
  }
  if (maxItems !== undefined && value.length > maxItems) {
    throw invalidParam(
      param,
      `Invalid '${param}': array too long. Expected an array with maximum length ${maxItems}, but got an array with length ${value.length} instead.`,
      'array_above_max_length',
    );
  }
  return value;
}

/** `obj[key]` when it is present and not null (null means "not given"), else undefined. */
export function given(obj: Obj, key: string): unknown {
  const value = obj[key];
  return value === null ? undefined : value;
}

/** `obj[key]`, which must be present and not null. */
export function required(obj: Obj, key: string, param: string): unknown {
  if (!(key in obj) || obj[key] === undefined) throw missing(at(param, key));
  return obj[key];
}

// ----------------------------------------------------------------------------- Check factories (for tables)

export const bool: Check = (v, p) => void expectBoolean(v, p);
export const str =
  (rule?: StringRule): Check =>
  (v, p) =>
    void expectString(v, p, rule);
export const num =
  (rule?: NumberRule): Check =>
  (v, p) =>
    void expectNumber(v, p, rule);
export const int =
  (rule?: NumberRule): Check =>
  (v, p) =>
    void expectInteger(v, p, rule);
export const oneOf =
  (...allowed: string[]): Check =>
  (v, p) =>
    void expectEnum(v, p, allowed);
/** Any JSON object (free-form kwargs). */
export const anyObject: Check = (v, p) => void expectObject(v, p);

export const arrayOf =
  (check: Check, rule?: ArrayRule): Check =>
  (v, p) => {
    for (const [i, x] of expectArray(v, p, rule).entries()) check(x, item(p, i));
  };

/** An object used as a map: every value passes `check`. */
export const mapOf =
  (check: Check, rule: { maxKeys?: number; maxKeyLength?: number } = {}): Check =>
  (v, p) => {
    const entries = Object.entries(expectObject(v, p));
    if (rule.maxKeys !== undefined && entries.length > rule.maxKeys) {
      throw invalidParam(
        p,
        `Invalid '${p}': too many keys. Expected at most ${rule.maxKeys} keys, but got ${entries.length} instead.`,
        'object_above_max_properties',
      );
    }
    for (const [key, value] of entries) {
      if (rule.maxKeyLength !== undefined) expectString(key, `${p} key`, { maxLength: rule.maxKeyLength });
      check(value, at(p, key));
    }
  };

/**
 * A nested object with known fields. Listed fields are checked when present and not null;
 * `required` ones must be present. Unknown nested keys are ignored (the OpenAI schema allows them).
 */
export const shape =
  (fields: Record<string, Check>, requiredKeys: readonly string[] = []): Check =>
  (v, p) => {
    const obj = expectObject(v, p);
    for (const [key, check] of Object.entries(fields)) {
      const value = requiredKeys.includes(key) ? required(obj, key, p) : given(obj, key);
      if (value !== undefined) check(value, at(p, key));
    }
    for (const key of requiredKeys) required(obj, key, p);
  };

/** Accepts the first alternative whose `accepts` guard matches, else reports `expected`. */
export const either =
  (expected: string, ...alternatives: [accepts: (v: unknown) => boolean, check: Check][]): Check =>
  (v, p) => {
    const match = alternatives.find(([accepts]) => accepts(v));
    if (!match) throw typeError(p, expected, v);
    match[1](v, p);
  };
