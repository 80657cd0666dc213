/**
 * Tool calling end to end: tool_choice "required" and named functions are enforced by a grammar
 * in the model family's own format (every response is a valid call with schema-valid arguments,
 * whatever the weights), "auto" reads calls out of free output, streaming sends tool-call deltas
 * as clients merge them, and the tool round trip renders in the templates.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFixture } from '@cinder/fixtures';
import type { ChatCompletionChunk, ToolCallDelta } from '@cinder/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from './index.ts';
import {
  complete,
  fixtureEngine,
  SEEDS,
  schemaErrors,
  streamChunks,
} from './structured/engine-test-support.ts';
import { loadTokenizer, type TextTokenizer } from './text/tokenizer.ts';

let engine: LocalEngine;
const tokenizers: Record<string, TextTokenizer> = {};

const models = ['tiny-qwen3', 'tiny-llama', 'tiny-smollm2'];
beforeAll(async () => {
  engine = await fixtureEngine(models);
  for (const name of models) {
    const dir = await ensureFixture(name);
    const json = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
    tokenizers[name] = loadTokenizer(await json('tokenizer.json'), await json('tokenizer_config.json'));
  }
});
afterAll(() => engine.dispose());

const forecast = {
  type: 'object',
  properties: {
    unit: { enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', minimum: 1, maximum: 7 },
    hourly: { type: 'boolean' },
  },
  required: ['unit', 'days', 'hourly'],
  additionalProperties: false,
};
const tools = [
  {
    type: 'function',
    function: { name: 'get_forecast', description: 'Weather forecast.', parameters: forecast },
  },
  { type: 'function', function: { name: 'get_time' } },
];
const schemaOf: Record<string, object> = { get_forecast: forecast, get_time: { type: 'object' } };

const llama32 = await readFile(
  new URL('./text/testdata/llama3.2-chat-template.jinja', import.meta.url),
  'utf8',
);
const mistralTemplate =
  "{% for m in messages %}{% if m.role == 'user' %}[INST] {{ m.content }} [/INST]{% elif m.tool_calls %}[TOOL_CALLS]{{ m.tool_calls | tojson }}</s>{% else %}{{ m.content }}</s>{% endif %}{% endfor %}";

/** Every seed: a call-only answer whose calls name offered tools with schema-valid arguments. */
async function forcedCalls(params: Record<string, unknown>, seeds: readonly number[], count?: number) {
  let done = 0;
  for (const seed of seeds) {
    const completion = await complete(engine, { tools, temperature: 1, seed, max_tokens: 250, ...params });
    const { message, finish_reason } = completion.choices[0];
    if (finish_reason === 'length') continue;
    done++;
    expect(finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    const calls = message.tool_calls ?? [];
    if (count !== undefined) expect(calls).toHaveLength(count);
    else expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      expect(call.id).toMatch(/^call_/);
      expect(call.type).toBe('function');
      expect(
        schemaErrors(schemaOf[call.function.name], JSON.parse(call.function.arguments)),
        call.function.arguments,
      ).toEqual([]);
    }
  }
  // Random weights may keep adding parallel calls until max_tokens; some answers must complete.
  expect(done).toBeGreaterThan(0);
}

describe('forced tool calls', () => {
  it('required (Qwen3, hermes format): one or more valid calls', async () => {
    await forcedCalls(
      { model: 'tiny-qwen3', tool_choice: 'required', reasoning_effort: 'none' },
      SEEDS.slice(0, 4),
    );
  });

  it('named (Qwen3): exactly one call, to that function', async () => {
    const named = { type: 'function', function: { name: 'get_forecast' } };
    await forcedCalls(
      { model: 'tiny-qwen3', tool_choice: named, reasoning_effort: 'none' },
      SEEDS.slice(0, 3),
      1,
    );
  });

  it('required with parallel_tool_calls: false: exactly one call', async () => {
    await forcedCalls(
      { model: 'tiny-smollm2', tool_choice: 'required', parallel_tool_calls: false },
      SEEDS,
      1,
    );
  });

  it('Llama 3.2 template: JSON calls with parameters', async () => {
    await forcedCalls(
      { model: 'tiny-llama', chat_template: llama32, tool_choice: 'required', max_tokens: 200 },
      SEEDS.slice(0, 3),
    );
  });

  it('Mistral template: a [TOOL_CALLS] array', async () => {
    await forcedCalls(
      { model: 'tiny-smollm2', chat_template: mistralTemplate, tool_choice: 'required' },
      SEEDS.slice(0, 4),
    );
  });

  it('a template that shows no format: hermes calls anyway', async () => {
    await forcedCalls({ model: 'tiny-smollm2', tool_choice: 'required' }, SEEDS.slice(0, 4));
  });

  it('the deprecated functions API answers with function_call', async () => {
    const completion = await complete(engine, {
      model: 'tiny-smollm2',
      functions: [{ name: 'get_forecast', parameters: forecast }],
      function_call: { name: 'get_forecast' },
      seed: 3,
      max_tokens: 200,
    });
    const { message, finish_reason } = completion.choices[0];
    expect(finish_reason).toBe('function_call');
    expect(message.tool_calls).toBeUndefined();
    expect(schemaErrors(forecast, JSON.parse(message.function_call?.arguments ?? ''))).toEqual([]);
  });
});

describe('streaming tool calls', () => {
  it('sends index, id, type and name first, then the arguments; the merge equals the whole answer', async () => {
    const params = {
      model: 'tiny-smollm2',
      tools,
      tool_choice: 'required',
      temperature: 1,
      max_tokens: 300,
      seed: 11,
    };
    const chunks = await streamChunks(engine, params);
    const deltas = chunks.flatMap((c: ChatCompletionChunk) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    const merged = new Map<number, { id?: string; type?: string; name?: string; args: string }>();
    for (const delta of deltas as ToolCallDelta[]) {
      expect(delta.function).toBeDefined();
      const call = merged.get(delta.index);
      if (!call) {
        expect(delta).toMatchObject({
          id: expect.stringMatching(/^call_/),
          type: 'function',
          function: { arguments: '' },
        });
        merged.set(delta.index, { id: delta.id, type: delta.type, name: delta.function?.name, args: '' });
      } else {
        expect(delta.id).toBeUndefined();
        call.args += delta.function?.arguments ?? '';
      }
    }
    expect([...merged.keys()]).toEqual([...Array(merged.size).keys()]);
    const whole = await complete(engine, params);
    const calls = whole.choices[0].message.tool_calls ?? [];
    expect([...merged.values()].map((c) => [c.name, c.args])).toEqual(
      calls.map((c) => [c.function.name, c.function.arguments]),
    );
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0].finish_reason)).toEqual([
      'tool_calls',
    ]);
    expect(chunks.flatMap((c) => c.choices[0]?.delta.content ?? []).join('')).toBe('');
  });
});

describe('tool_choice auto and none', () => {
  const call = '<tool_call>\n{"name": "get_time", "arguments": {}}\n</tool_call>';
  const forced = (text: string) => ({ structured_outputs: { choice: [text] } });

  it('auto reads calls out of the answer, with the content before them', async () => {
    const completion = await complete(engine, {
      model: 'tiny-smollm2',
      tools,
      ...forced(`Checking.\n${call}`),
    });
    expect(completion.choices[0]).toMatchObject({
      finish_reason: 'tool_calls',
      message: {
        content: 'Checking.',
        tool_calls: [{ type: 'function', function: { name: 'get_time', arguments: '{}' } }],
      },
    });
  });

  it('auto leaves a broken call as content, and none never reads calls', async () => {
    const broken = '<tool_call>\n{"name": "get_time", "arguments": {}\n</tool_call>';
    const a = await complete(engine, { model: 'tiny-smollm2', tools, ...forced(broken) });
    expect(a.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: broken } });
    expect(a.choices[0].message.tool_calls).toBeUndefined();
    const b = await complete(engine, { model: 'tiny-smollm2', tools, tool_choice: 'none', ...forced(call) });
    expect(b.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: call } });
  });

  it('parallel_tool_calls: false keeps the first call', async () => {
    const completion = await complete(engine, {
      model: 'tiny-smollm2',
      tools,
      parallel_tool_calls: false,
      ...forced(`${call}\n${call}`),
    });
    expect(completion.choices[0].message.tool_calls).toHaveLength(1);
  });
});

describe('the tool round trip renders in each template', () => {
  const history = [
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'get_forecast', arguments: '{"unit":"celsius","days":1,"hourly":false}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'call_1', content: '{"temp": 21}' },
  ];

  async function prompt(model: string, extra: Record<string, unknown> = {}): Promise<string> {
    const completion = await complete(engine, {
      model,
      messages: history,
      tools,
      max_tokens: 1,
      return_token_ids: true,
      ...extra,
    });
    return tokenizers[model].decode(completion.prompt_token_ids ?? []);
  }

  it('Qwen3: the call in <tool_call> tags, the result in <tool_response>', async () => {
    const text = await prompt('tiny-qwen3');
    expect(text).toContain(
      '<tool_call>\n{"name": "get_forecast", "arguments": {"unit": "celsius", "days": 1, "hourly": false}}\n</tool_call>',
    );
    expect(text).toContain('<tool_response>\n{"temp": 21}\n</tool_response>');
  });

  it('Llama 3.2: the call as JSON with parameters, the result as ipython', async () => {
    const text = await prompt('tiny-llama', { chat_template: llama32 });
    expect(text).toContain('{"name": "get_forecast", "parameters": ');
    expect(text).toContain('<|start_header_id|>ipython<|end_header_id|>\n\n"{\\"temp\\": 21}"');
  });
});
