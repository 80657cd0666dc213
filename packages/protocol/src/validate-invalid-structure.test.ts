import { describe } from 'vitest';
import { itRejects, type RejectCase } from './testing/rejections.ts';
import { timeTool, toolCallTurn, user, weatherTool } from './testing/requests.ts';

const withMessages = (...messages: unknown[]) => ({ messages });
const part = (p: unknown, role = 'user') => withMessages({ role, content: [p] });
const assistantCalls = (calls: unknown) =>
  withMessages(user, { role: 'assistant', content: null, tool_calls: calls });
const weatherCall = { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } };
const namedChoice = (name: string) => ({ type: 'function', function: { name } });

const MESSAGES: RejectCase[] = [
  ['message not an object', withMessages('hi'), 'messages[0]', 'invalid_type'],
  ['role missing', withMessages({ content: 'x' }), 'messages[0].role', 'missing_required_parameter'],
  ['custom role', withMessages({ role: 'bot', content: 'x' }), 'messages[0].role', 'invalid_value'],
  [
    'user content missing',
    withMessages({ role: 'user' }),
    'messages[0].content',
    'missing_required_parameter',
  ],
  ['user content null', withMessages({ role: 'user', content: null }), 'messages[0].content', 'invalid_type'],
  ['user content number', withMessages({ role: 'user', content: 5 }), 'messages[0].content', 'invalid_type'],
  [
    'user content empty array',
    withMessages({ role: 'user', content: [] }),
    'messages[0].content',
    'empty_array',
  ],
  [
    'system content missing',
    withMessages({ role: 'system' }, user),
    'messages[0].content',
    'missing_required_parameter',
  ],
  [
    'name not a string',
    withMessages({ role: 'user', content: 'x', name: 5 }),
    'messages[0].name',
    'invalid_type',
  ],
  ['part not an object', part('text'), 'messages[0].content[0]', 'invalid_type'],
  ['part without type', part({ text: 'x' }), 'messages[0].content[0].type', 'missing_required_parameter'],
  [
    'unknown part type',
    part({ type: 'video_url', video_url: {} }),
    'messages[0].content[0].type',
    'invalid_value',
  ],
  [
    'text part without text',
    part({ type: 'text' }),
    'messages[0].content[0].text',
    'missing_required_parameter',
  ],
  ['text part with number', part({ type: 'text', text: 1 }), 'messages[0].content[0].text', 'invalid_type'],
  [
    'image in system message',
    part({ type: 'image_url', image_url: { url: 'https://x/y.png' } }, 'system'),
    'messages[0].content[0].type',
    'invalid_value',
  ],
  [
    'image in tool message',
    withMessages(...toolCallTurn.slice(0, 2), {
      role: 'tool',
      tool_call_id: 'call_1',
      content: [{ type: 'image_url', image_url: { url: 'u' } }],
    }),
    'messages[2].content[0].type',
    'invalid_value',
  ],
  [
    'refusal part in user message',
    part({ type: 'refusal', refusal: 'no' }),
    'messages[0].content[0].type',
    'invalid_value',
  ],
  [
    'image without url',
    part({ type: 'image_url', image_url: {} }),
    'messages[0].content[0].image_url.url',
    'missing_required_parameter',
  ],
  [
    'image url as string',
    part({ type: 'image_url', image_url: 'https://x/y.png' }),
    'messages[0].content[0].image_url',
    'invalid_type',
  ],
  [
    'image detail',
    part({ type: 'image_url', image_url: { url: 'u', detail: 'ultra' } }),
    'messages[0].content[0].image_url.detail',
    'invalid_value',
  ],
  [
    'audio format',
    part({ type: 'input_audio', input_audio: { data: 'x', format: 'ogg' } }),
    'messages[0].content[0].input_audio.format',
    'invalid_value',
  ],
  [
    'file without data or id',
    part({ type: 'file', file: { filename: 'a.pdf' } }),
    'messages[0].content[0].file',
    'missing_required_parameter',
  ],
  [
    'assistant without content',
    withMessages(user, { role: 'assistant' }),
    'messages[1].content',
    'missing_required_parameter',
  ],
  [
    'assistant null content, no calls',
    withMessages(user, { role: 'assistant', content: null, tool_calls: null }),
    'messages[1].content',
    'missing_required_parameter',
  ],
  ['assistant empty tool_calls', assistantCalls([]), 'messages[1].tool_calls', 'empty_array'],
  [
    'tool call without id',
    assistantCalls([{ type: 'function', function: { name: 'f', arguments: '{}' } }]),
    'messages[1].tool_calls[0].id',
    'missing_required_parameter',
  ],
  [
    'custom tool call',
    assistantCalls([{ id: 'c', type: 'custom', custom: { name: 'f', input: '' } }]),
    'messages[1].tool_calls[0].type',
    'invalid_value',
  ],
  [
    'arguments as object',
    assistantCalls([{ id: 'c', type: 'function', function: { name: 'f', arguments: {} } }]),
    'messages[1].tool_calls[0].function.arguments',
    'invalid_type',
  ],
  ['duplicate tool call ids', assistantCalls([weatherCall, weatherCall]), 'messages[1].tool_calls[1].id'],
  [
    'tool without tool_call_id',
    withMessages(...toolCallTurn.slice(0, 2), { role: 'tool', content: 'x' }),
    'messages[2].tool_call_id',
    'missing_required_parameter',
  ],
  [
    'tool without content',
    withMessages(...toolCallTurn.slice(0, 2), { role: 'tool', tool_call_id: 'call_1' }),
    'messages[2].content',
    'missing_required_parameter',
  ],
  [
    'tool message with no preceding calls',
    withMessages(user, { role: 'tool', tool_call_id: 'call_1', content: 'x' }),
    'messages[1].role',
    'invalid_value',
  ],
  [
    'tool message with unknown id',
    withMessages(...toolCallTurn.slice(0, 2), { role: 'tool', tool_call_id: 'call_9', content: 'x' }),
    'messages[2].tool_call_id',
    'invalid_value',
  ],
  [
    'tool call answered twice',
    withMessages(...toolCallTurn.slice(0, 3), toolCallTurn[2]),
    'messages[3].tool_call_id',
  ],
  [
    'tool call left unanswered',
    withMessages(...toolCallTurn.slice(0, 3), { role: 'user', content: 'x' }),
    'messages[1].tool_calls',
    'invalid_value',
  ],
  [
    'conversation ends with open calls',
    withMessages(...toolCallTurn.slice(0, 2)),
    'messages[1].tool_calls',
    'invalid_value',
  ],
  [
    'user message between call and answer',
    withMessages(...toolCallTurn.slice(0, 2), user, ...toolCallTurn.slice(2, 4)),
    'messages[1].tool_calls',
  ],
  [
    'function message without name',
    withMessages(user, { role: 'function', content: 'x' }),
    'messages[1].name',
    'missing_required_parameter',
  ],
  [
    'function message without content',
    withMessages(user, { role: 'function', name: 'f' }),
    'messages[1].content',
    'missing_required_parameter',
  ],
];

const STREAMING_AND_TOOLS: RejectCase[] = [
  ['stream string', { stream: 'true' }, 'stream', 'invalid_type'],
  ['stream_options without stream', { stream_options: { include_usage: true } }, 'stream_options'],
  ['empty stream_options with stream false', { stream: false, stream_options: {} }, 'stream_options'],
  [
    'include_usage string',
    { stream: true, stream_options: { include_usage: 'yes' } },
    'stream_options.include_usage',
    'invalid_type',
  ],
  ['stream_options array', { stream: true, stream_options: [] }, 'stream_options', 'invalid_type'],
  ['tools empty', { tools: [] }, 'tools', 'empty_array'],
  [
    'tools 129',
    { tools: Array.from({ length: 129 }, (_, i) => ({ type: 'function', function: { name: `t${i}` } })) },
    'tools',
    'array_above_max_length',
  ],
  ['tools object', { tools: weatherTool }, 'tools', 'invalid_type'],
  [
    'custom tool',
    { tools: [{ type: 'custom', custom: { name: 'x' } }] },
    'tools[0].type',
    'unsupported_value',
  ],
  ['unknown tool type', { tools: [{ type: 'retrieval' }] }, 'tools[0].type', 'invalid_value'],
  [
    'tool without type',
    { tools: [{ function: { name: 'f' } }] },
    'tools[0].type',
    'missing_required_parameter',
  ],
  [
    'tool without function',
    { tools: [{ type: 'function' }] },
    'tools[0].function',
    'missing_required_parameter',
  ],
  [
    'tool name with space',
    { tools: [{ type: 'function', function: { name: 'get weather' } }] },
    'tools[0].function.name',
    'invalid_value',
  ],
  [
    'tool name too long',
    { tools: [{ type: 'function', function: { name: 'x'.repeat(65) } }] },
    'tools[0].function.name',
    'invalid_value',
  ],
  [
    'tool parameters string',
    { tools: [{ type: 'function', function: { name: 'f', parameters: '{}' } }] },
    'tools[0].function.parameters',
    'invalid_type',
  ],
  [
    'tool strict string',
    { tools: [{ type: 'function', function: { name: 'f', strict: 'yes' } }] },
    'tools[0].function.strict',
    'invalid_type',
  ],
  [
    'duplicate tool names',
    { tools: [weatherTool, timeTool, weatherTool] },
    'tools[2].function.name',
    'invalid_value',
  ],
  [
    'tool_choice unknown string',
    { tools: [weatherTool], tool_choice: 'any' },
    'tool_choice',
    'invalid_value',
  ],
  ['tool_choice number', { tools: [weatherTool], tool_choice: 1 }, 'tool_choice', 'invalid_type'],
  ['tool_choice auto without tools', { tool_choice: 'auto' }, 'tool_choice', 'missing_required_parameter'],
  [
    'tool_choice required without tools',
    { tool_choice: 'required', tools: null },
    'tool_choice',
    'missing_required_parameter',
  ],
  [
    'named tool_choice without function',
    { tools: [weatherTool], tool_choice: { type: 'function' } },
    'tool_choice.function',
    'missing_required_parameter',
  ],
  [
    'named tool_choice function string',
    { tools: [weatherTool], tool_choice: { type: 'function', function: 'get_weather' } },
    'tool_choice.function',
    'invalid_type',
  ],
  [
    'named tool_choice without name',
    { tools: [weatherTool], tool_choice: { type: 'function', function: {} } },
    'tool_choice.function.name',
    'missing_required_parameter',
  ],
  [
    'named tool_choice empty name',
    { tools: [weatherTool], tool_choice: namedChoice('') },
    'tool_choice.function.name',
  ],
  [
    'named tool_choice unknown tool',
    { tools: [weatherTool], tool_choice: namedChoice('get_time') },
    'tool_choice.function.name',
  ],
  ['named tool_choice without tools', { tool_choice: namedChoice('get_weather') }, 'tool_choice'],
  [
    'allowed_tools choice',
    {
      tools: [weatherTool],
      tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } },
    },
    'tool_choice.type',
    'unsupported_value',
  ],
  [
    'tool_choice type missing',
    { tools: [weatherTool], tool_choice: { function: { name: 'get_weather' } } },
    'tool_choice.type',
    'missing_required_parameter',
  ],
  ['parallel_tool_calls string', { parallel_tool_calls: 'no' }, 'parallel_tool_calls', 'invalid_type'],
  ['functions empty', { functions: [] }, 'functions', 'empty_array'],
  ['function name invalid', { functions: [{ name: 'a b' }] }, 'functions[0].name', 'invalid_value'],
  [
    'function_call required',
    { functions: [{ name: 'f' }], function_call: 'required' },
    'function_call',
    'invalid_value',
  ],
  [
    'function_call unknown name',
    { functions: [{ name: 'f' }], function_call: { name: 'g' } },
    'function_call.name',
  ],
  [
    'function_call without functions',
    { function_call: 'auto' },
    'function_call',
    'missing_required_parameter',
  ],
  ['tools and functions together', { tools: [weatherTool], functions: [{ name: 'f' }] }, 'functions'],
];

const FORMATS: RejectCase[] = [
  ['response_format string', { response_format: 'json' }, 'response_format', 'invalid_type'],
  [
    'response_format unknown type',
    { response_format: { type: 'xml' } },
    'response_format.type',
    'invalid_value',
  ],
  [
    'response_format without type',
    { response_format: {} },
    'response_format.type',
    'missing_required_parameter',
  ],
  [
    'json_schema missing',
    { response_format: { type: 'json_schema' } },
    'response_format.json_schema',
    'missing_required_parameter',
  ],
  [
    'json_schema without name',
    { response_format: { type: 'json_schema', json_schema: { schema: {} } } },
    'response_format.json_schema.name',
    'missing_required_parameter',
  ],
  [
    'json_schema bad name',
    { response_format: { type: 'json_schema', json_schema: { name: 'my schema' } } },
    'response_format.json_schema.name',
    'invalid_value',
  ],
  [
    'json_schema schema string',
    { response_format: { type: 'json_schema', json_schema: { name: 'n', schema: '{}' } } },
    'response_format.json_schema.schema',
    'invalid_type',
  ],
  [
    'structural_tag empty',
    { response_format: { type: 'structural_tag' } },
    'response_format',
    'missing_required_parameter',
  ],
  [
    'structural_tag format string',
    { response_format: { type: 'structural_tag', format: 'x' } },
    'response_format.format',
    'invalid_type',
  ],
  [
    'structural_tag format without type',
    { response_format: { type: 'structural_tag', format: {} } },
    'response_format.format',
  ],
  [
    'legacy structural_tag no triggers',
    {
      response_format: { type: 'structural_tag', structures: [{ begin: '<a>', end: '</a>' }], triggers: [] },
    },
    'response_format.triggers',
    'empty_array',
  ],
  [
    'legacy structural_tag no end',
    { response_format: { type: 'structural_tag', structures: [{ begin: '<a>' }], triggers: ['<a'] } },
    'response_format.structures[0].end',
    'missing_required_parameter',
  ],
  [
    'structured_outputs empty',
    { structured_outputs: {} },
    'structured_outputs',
    'missing_required_parameter',
  ],
  [
    'structured_outputs two kinds',
    { structured_outputs: { regex: 'a', choice: ['a'] } },
    'structured_outputs',
  ],
  [
    'structured_outputs json_object with json',
    { structured_outputs: { json: {}, json_object: true } },
    'structured_outputs',
  ],
  [
    'structured_outputs empty choice',
    { structured_outputs: { choice: [] } },
    'structured_outputs.choice',
    'empty_array',
  ],
  [
    'structured_outputs bad json string',
    { structured_outputs: { json: '{type: object}' } },
    'structured_outputs.json',
  ],
  [
    'structured_outputs json number',
    { structured_outputs: { json: 5 } },
    'structured_outputs.json',
    'invalid_type',
  ],
  [
    'structured_outputs regex number',
    { structured_outputs: { regex: 5 } },
    'structured_outputs.regex',
    'invalid_type',
  ],
  [
    'structured_outputs empty grammar',
    { structured_outputs: { grammar: '' } },
    'structured_outputs.grammar',
    'empty_string',
  ],
  [
    'structured_outputs with named tool',
    { structured_outputs: { regex: 'a' }, tools: [weatherTool], tool_choice: namedChoice('get_weather') },
    'structured_outputs',
  ],
  [
    'structured_outputs with json response_format',
    { structured_outputs: { regex: 'a' }, response_format: { type: 'json_object' } },
    'structured_outputs',
  ],
];

describe('validateChatCompletionRequest rejects (messages)', () => itRejects(MESSAGES));
describe('validateChatCompletionRequest rejects (streaming and tools)', () => itRejects(STREAMING_AND_TOOLS));
describe('validateChatCompletionRequest rejects (formats)', () => itRejects(FORMATS));
