/**
 * `tools`, `tool_choice` and `parallel_tool_calls` (OAS ChatCompletionTool / ChatCompletionToolChoiceOption,
 * vllm-rules.md rules 20-27).
 */
import { bad, type CaseSpec, either, expandGroup, type Json, ok, type SweepCase } from './case.ts';

const weather: Json = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the weather for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const time: Json = { type: 'function', function: { name: 'get_time' } };
const tools = [weather, time];

const valid: CaseSpec[] = [
  { name: 'tools, tool_choice absent', patch: { tools }, expect: ok(), oas: true },
  { name: 'tools, tool_choice=auto', patch: { tools, tool_choice: 'auto' }, expect: ok(), oas: true },
  { name: 'tools, tool_choice=none', patch: { tools, tool_choice: 'none' }, expect: ok(), oas: true },
  { name: 'rule 21: tools, tool_choice=null', patch: { tools, tool_choice: null }, expect: ok() },
  {
    name: 'tools, parallel_tool_calls=false',
    patch: { tools, parallel_tool_calls: false },
    expect: ok(),
    oas: true,
  },
  {
    name: 'tool with strict=true',
    patch: {
      tools: [
        {
          type: 'function',
          function: {
            name: 'f',
            strict: true,
            parameters: { type: 'object', properties: {}, additionalProperties: false },
          },
        },
      ],
    },
    expect: ok(),
    oas: true,
  },
  { name: 'tool with only a name', patch: { tools: [time] }, expect: ok(), oas: true },
  {
    name: 'tools, tool_choice=required',
    patch: { tools, tool_choice: 'required' },
    expect: ok(),
    oas: true,
  },
  {
    name: 'tools, named tool_choice',
    patch: { tools, tool_choice: { type: 'function', function: { name: 'get_weather' } } },
    expect: ok(),
    oas: true,
  },
  {
    name: 'tool_choice=none without tools',
    patch: { tool_choice: 'none' },
    expect: either(
      'tool_choice',
      'vLLM allows "none" without tools (rule 22); OpenAI refuses tool_choice without tools',
    ),
  },
  {
    name: 'allowed_tools tool_choice',
    patch: {
      tools,
      tool_choice: {
        type: 'allowed_tools',
        allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'get_time' } }] },
      },
    },
    expect: either('tool_choice', 'OpenAI accepts allowed_tools; vLLM rejects it'),
  },
  {
    name: 'two tools with the same name',
    patch: { tools: [weather, weather] },
    expect: either('tools', 'not covered by either document'),
  },
  {
    name: 'tool name with spaces and punctuation',
    patch: { tools: [{ type: 'function', function: { name: 'get weather!' } }] },
    expect: either('tools', 'OAS: a-z, A-Z, 0-9, _ and - only, in the description, not the schema'),
  },
  {
    name: 'tool name of 65 characters',
    patch: { tools: [{ type: 'function', function: { name: 'f'.repeat(65) } }] },
    expect: either('tools', 'OAS: at most 64, in the description, not the schema'),
  },
  {
    name: 'custom tool',
    patch: { tools: [{ type: 'custom', custom: { name: 'free_text' } }] },
    expect: either('tools', 'OpenAI accepts custom tools; vLLM rejects them'),
  },
];

const invalid: CaseSpec[] = [
  { name: 'rule 20: tools=[]', patch: { tools: [] }, expect: bad('tools') },
  { name: 'tools="abc"', patch: { tools: 'abc' }, expect: bad('tools'), oas: true },
  { name: 'tools={}', patch: { tools: {} }, expect: bad('tools'), oas: true },
  {
    name: 'tool without function',
    patch: { tools: [{ type: 'function' }] },
    expect: bad('tools[0].function'),
    oas: true,
  },
  {
    name: 'tool function without name',
    patch: { tools: [{ type: 'function', function: { description: 'x' } }] },
    expect: bad('tools[0].function.name'),
    oas: true,
  },
  {
    name: 'tool function name not a string',
    patch: { tools: [{ type: 'function', function: { name: 5 } }] },
    expect: bad('tools[0].function.name'),
    oas: true,
  },
  {
    name: 'tool of unknown type',
    patch: { tools: [{ type: 'bogus', function: { name: 'f' } }] },
    expect: bad('tools[0].type'),
    oas: true,
  },
  {
    name: 'tool parameters not an object',
    patch: { tools: [{ type: 'function', function: { name: 'f', parameters: 'abc' } }] },
    expect: bad('tools[0].function.parameters'),
    oas: true,
  },
  { name: 'tool item not an object', patch: { tools: ['get_weather'] }, expect: bad('tools[0]'), oas: true },
  {
    name: 'rule 22: tool_choice=auto without tools',
    patch: { tool_choice: 'auto' },
    expect: bad('tool_choice'),
  },
  {
    name: 'rule 22: tool_choice=required without tools',
    patch: { tool_choice: 'required' },
    expect: bad('tool_choice'),
  },
  {
    name: 'rule 23: tool_choice="sometimes"',
    patch: { tools, tool_choice: 'sometimes' },
    expect: bad('tool_choice'),
    oas: true,
  },
  { name: 'tool_choice=5', patch: { tools, tool_choice: 5 }, expect: bad('tool_choice'), oas: true },
  {
    name: 'rule 24: named tool_choice without function',
    patch: { tools, tool_choice: { type: 'function' } },
    expect: bad('tool_choice.function'),
    oas: true,
  },
  {
    name: 'rule 24: named tool_choice with function="x"',
    patch: { tools, tool_choice: { type: 'function', function: 'get_time' } },
    expect: bad('tool_choice.function'),
    oas: true,
  },
  {
    name: 'rule 25: named tool_choice without name',
    patch: { tools, tool_choice: { type: 'function', function: {} } },
    expect: bad('tool_choice.function.name'),
    oas: true,
  },
  {
    name: 'rule 26: named tool_choice with name=""',
    patch: { tools, tool_choice: { type: 'function', function: { name: '' } } },
    expect: bad('tool_choice.function.name'),
  },
  {
    name: 'rule 26: named tool_choice with name=5',
    patch: { tools, tool_choice: { type: 'function', function: { name: 5 } } },
    expect: bad('tool_choice.function.name'),
    oas: true,
  },
  {
    name: 'rule 27: named tool_choice naming no tool',
    patch: { tools, tool_choice: { type: 'function', function: { name: 'nope' } } },
    expect: bad('tool_choice'),
  },
  {
    name: 'parallel_tool_calls="abc"',
    patch: { tools, parallel_tool_calls: 'abc' },
    expect: bad('parallel_tool_calls'),
    oas: true,
  },
];

export function toolCases(): SweepCase[] {
  return expandGroup({
    group: 'tools',
    models: ['tiny-qwen3', 'tiny-smollm2'],
    cases: [...valid, ...invalid],
  });
}
