/**
 * `tools`, `tool_choice` and the deprecated `functions` / `function_call`: shapes only.
 * Rules that relate them to each other (tool_choice needs tools, a named choice must exist)
 * live in validate-rules.ts.
 */
import { invalidParam } from './errors.ts';
import {
  anyObject,
  at,
  bool,
  type Check,
  expectArray,
  expectEnum,
  expectObject,
  isObject,
  item,
  type Obj,
  required,
  shape,
  show,
  str,
  typeError,
  unsupported,
} from './validate-values.ts';

/** OpenAI: "a-z, A-Z, 0-9, underscores and dashes, maximum length of 64". */
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export const MAX_TOOLS = 128;

const functionDefinition = shape(
  {
    name: str({ pattern: FUNCTION_NAME }),
    description: str(),
    parameters: anyObject,
    strict: bool,
    defer_loading: bool,
  },
  ['name'],
);

function checkNoDuplicateNames(names: string[], param: string, path: (i: number) => string): void {
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (first !== i) {
      throw invalidParam(
        path(i),
        `Invalid '${path(i)}': duplicate function name ${show(name)} (already used by ${item(param, first)}).`,
        'invalid_value',
      );
    }
  });
}

export const checkTools: Check = (value, param) => {
  if (Array.isArray(value) && value.length === 0) {
    throw invalidParam(
      param,
      '`tools` must not be an empty array. Either provide at least one tool or omit the field entirely.',
      'empty_array',
    );
  }
  const tools = expectArray(value, param, { maxItems: MAX_TOOLS });
  tools.forEach((tool, i) => {
    const p = item(param, i);
    const type = required(expectObject(tool, p), 'type', p);
    if (type === 'custom') {
      throw unsupported(
        at(p, 'type'),
        `Invalid value for '${at(p, 'type')}': custom tools are not supported; use 'function' tools.`,
      );
    }
    expectEnum(type, at(p, 'type'), ['function']);
    shape({ function: functionDefinition, defer_loading: bool }, ['function'])(tool, p);
  });
  const names = tools.map((tool) => ((tool as Obj).function as Obj).name as string);
  checkNoDuplicateNames(names, param, (i) => at(at(item(param, i), 'function'), 'name'));
};

const CORRECT_USAGE = 'Correct usage: `{"type": "function", "function": {"name": "my_function"}}`';

export const checkToolChoice: Check = (value, param) => {
  if (typeof value === 'string') {
    if (!['none', 'auto', 'required'].includes(value)) {
      throw invalidParam(
        param,
        `Invalid value for \`tool_choice\`: ${show(value)}! Only named tools, "none", "auto" or "required" are supported.`,
        'invalid_value',
      );
    }
    return;
  }
  if (!isObject(value)) throw typeError(param, 'a string or an object', value);
  const type = required(value, 'type', param);
  if (type === 'allowed_tools' || type === 'custom') {
    throw unsupported(
      at(param, 'type'),
      `Invalid value for '${at(param, 'type')}': ${show(type)} tool choices are not supported; use "none", "auto", "required" or {"type": "function", "function": {"name": ...}}.`,
    );
  }
  expectEnum(type, at(param, 'type'), ['function']);
  const fn = value.function;
  if (!isObject(fn)) {
    throw invalidParam(
      at(param, 'function'),
      `Invalid value for \`function\`: \`${show(fn ?? null)}\` in \`tool_choice\`! ${CORRECT_USAGE}`,
      fn === undefined ? 'missing_required_parameter' : 'invalid_type',
    );
  }
  const namePath = at(at(param, 'function'), 'name');
  if (!('name' in fn)) {
    throw invalidParam(
      namePath,
      `Expected field \`name\` in \`function\` in \`tool_choice\`! ${CORRECT_USAGE}`,
      'missing_required_parameter',
    );
  }
  if (typeof fn.name !== 'string' || fn.name.length === 0) {
    throw invalidParam(
      namePath,
      `Invalid \`name\` in \`function\`: \`${show(fn.name)}\` in \`tool_choice\`! ${CORRECT_USAGE}`,
    );
  }
};

export const checkFunctions: Check = (value, param) => {
  const fns = expectArray(value, param, { minItems: 1, maxItems: MAX_TOOLS });
  const fnShape = shape(
    { name: str({ pattern: FUNCTION_NAME }), description: str(), parameters: anyObject },
    ['name'],
  );
  for (const [i, fn] of fns.entries()) fnShape(fn, item(param, i));
  checkNoDuplicateNames(
    fns.map((fn) => (fn as Obj).name as string),
    param,
    (i) => at(item(param, i), 'name'),
  );
};

export const checkFunctionCall: Check = (value, param) => {
  if (typeof value === 'string') return void expectEnum(value, param, ['none', 'auto']);
  if (!isObject(value)) throw typeError(param, "'none', 'auto' or an object", value);
  shape({ name: str({ minLength: 1 }) }, ['name'])(value, param);
};
