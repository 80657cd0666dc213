/**
 * `messages`: a non-empty array of role-tagged messages, each with the content shape its role allows,
 * and OpenAI's pairing rule for tool results (every `tool` message answers a call of the assistant
 * message just before it, and every call is answered before the conversation moves on).
 */
import { invalidParam } from './errors.ts';
import {
  at,
  type Check,
  expectArray,
  expectEnum,
  expectObject,
  item,
  listValues,
  missing,
  type Obj,
  oneOf,
  required,
  shape,
  show,
  str,
  typeError,
} from './validate-values.ts';

const ROLES = ['developer', 'system', 'user', 'assistant', 'tool', 'function'] as const;
type Role = (typeof ROLES)[number];

// ----------------------------------------------------------------------------- content parts

const cacheBreakpoint = shape({ mode: oneOf('explicit') }, ['mode']);

const filePart: Check = (v, p) => {
  shape({ file: shape({ filename: str(), file_data: str(), file_id: str() }) }, ['file'])(v, p);
  const file = (v as Obj).file as Obj;
  if (typeof file.file_data !== 'string' && typeof file.file_id !== 'string') {
    throw invalidParam(
      at(p, 'file'),
      `Invalid '${at(p, 'file')}': expected an object with 'file_data' or 'file_id', but got neither.`,
      'missing_required_parameter',
    );
  }
};

const PART_CHECKS: Record<string, Check> = {
  text: shape({ text: str(), prompt_cache_breakpoint: cacheBreakpoint }, ['text']),
  image_url: shape(
    {
      image_url: shape({ url: str({ minLength: 1 }), detail: oneOf('auto', 'low', 'high') }, ['url']),
      prompt_cache_breakpoint: cacheBreakpoint,
    },
    ['image_url'],
  ),
  input_audio: shape(
    {
      input_audio: shape({ data: str(), format: oneOf('wav', 'mp3') }, ['data', 'format']),
      prompt_cache_breakpoint: cacheBreakpoint,
    },
    ['input_audio'],
  ),
  file: filePart,
  refusal: shape({ refusal: str() }, ['refusal']),
};

const PARTS_BY_ROLE: Record<Role, readonly string[]> = {
  developer: ['text'],
  system: ['text'],
  user: ['text', 'image_url', 'input_audio', 'file'],
  assistant: ['text', 'refusal'],
  tool: ['text'],
  function: [],
};

/** A string, or a non-empty array of the content parts `role` allows. */
function checkContent(value: unknown, param: string, role: Role): void {
  if (typeof value === 'string') return;
  if (!Array.isArray(value)) throw typeError(param, 'a string or an array of content parts', value);
  expectArray(value, param, { minItems: 1 });
  const allowed = PARTS_BY_ROLE[role];
  value.forEach((part, i) => {
    const p = item(param, i);
    const type = required(expectObject(part, p), 'type', p);
    if (typeof type === 'string' && !allowed.includes(type) && type in PART_CHECKS) {
      throw invalidParam(
        at(p, 'type'),
        `Invalid value for '${at(p, 'type')}': ${show(type)} content parts are not allowed in ${role} messages. Supported values are: ${listValues(allowed)}.`,
        'invalid_value',
      );
    }
    PART_CHECKS[expectEnum(type, at(p, 'type'), allowed)](part, p);
  });
}

function content(role: Role): Check {
  return (v, p) => checkContent(v, p, role);
}

// ----------------------------------------------------------------------------- messages by role

const toolCall = shape(
  {
    id: str(),
    type: oneOf('function'),
    function: shape({ name: str(), arguments: str() }, ['name', 'arguments']),
  },
  ['id', 'type', 'function'],
);

const toolCalls: Check = (v, p) => {
  const calls = expectArray(v, p, { minItems: 1 });
  const seen = new Set<string>();
  calls.forEach((call, i) => {
    toolCall(call, item(p, i));
    const id = (call as { id: string }).id;
    if (seen.has(id)) {
      throw invalidParam(
        at(item(p, i), 'id'),
        `Invalid '${at(item(p, i), 'id')}': duplicate tool call id ${show(id)}.`,
      );
    }
    seen.add(id);
  });
};

const MESSAGE_CHECKS: Record<Role, Check> = {
  developer: shape({ content: content('developer'), name: str() }, ['content']),
  system: shape({ content: content('system'), name: str() }, ['content']),
  user: shape({ content: content('user'), name: str() }, ['content']),
  assistant: (v, p) => {
    shape({
      content: content('assistant'),
      refusal: str(),
      name: str(),
      tool_calls: toolCalls,
      function_call: shape({ name: str(), arguments: str() }, ['name', 'arguments']),
      audio: shape({ id: str() }, ['id']),
      reasoning: str(),
      reasoning_content: str(),
    })(v, p);
    const m = v as Obj;
    const has = (key: string) => m[key] !== undefined && m[key] !== null;
    if (!has('content') && !has('tool_calls') && !has('function_call') && !has('refusal') && !has('audio')) {
      throw invalidParam(
        at(p, 'content'),
        `Missing required parameter: '${at(p, 'content')}'. An assistant message needs 'content' unless it has 'tool_calls'.`,
        'missing_required_parameter',
      );
    }
  },
  tool: shape({ content: content('tool'), tool_call_id: str() }, ['content', 'tool_call_id']),
  function: (v, p) => {
    if (!('content' in (v as Obj))) throw missing(at(p, 'content'));
    shape({ content: str(), name: str() }, ['name'])(v, p);
  },
};

function checkMessage(value: unknown, param: string): void {
  const message = expectObject(value, param);
  const role = expectEnum(required(message, 'role', param), at(param, 'role'), ROLES);
  MESSAGE_CHECKS[role](message, param);
}

// ----------------------------------------------------------------------------- tool-call pairing

/** Every tool message answers a call of the preceding assistant message; every call is answered. */
function checkToolPairing(messages: Obj[], param: string): void {
  let open: { index: number; ids: string[]; answered: Set<string> } | null = null;
  const unanswered = () => {
    if (!open) return;
    const left = open.ids.filter((id) => !open?.answered.has(id));
    if (left.length === 0) return;
    throw invalidParam(
      at(item(param, open.index), 'tool_calls'),
      `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${listValues(left)}.`,
      'invalid_value',
    );
  };
  messages.forEach((message, i) => {
    if (message.role === 'tool') {
      const p = at(item(param, i), 'tool_call_id');
      const id = message.tool_call_id as string;
      if (!open) {
        throw invalidParam(
          at(item(param, i), 'role'),
          `Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (${item(param, i)}).`,
          'invalid_value',
        );
      }
      if (!open.ids.includes(id)) {
        throw invalidParam(
          p,
          `Invalid '${p}': ${show(id)} does not match any tool call of ${item(param, open.index)}. Expected one of ${listValues(open.ids)}.`,
          'invalid_value',
        );
      }
      if (open.answered.has(id)) {
        throw invalidParam(
          p,
          `Invalid '${p}': tool call ${show(id)} was already answered by an earlier tool message.`,
        );
      }
      open.answered.add(id);
      return;
    }
    unanswered();
    const calls = message.role === 'assistant' && Array.isArray(message.tool_calls) ? message.tool_calls : [];
    open =
      calls.length > 0
        ? { index: i, ids: calls.map((c: { id: string }) => c.id), answered: new Set() }
        : null;
  });
  unanswered();
}

export const checkMessages: Check = (value, param) => {
  const messages = expectArray(value, param, { minItems: 1 });
  for (const [i, message] of messages.entries()) checkMessage(message, item(param, i));
  checkToolPairing(messages as Obj[], param);
};
