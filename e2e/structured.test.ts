/**
 * Structured outputs and tool calls through the official `openai` SDK, unmodified, against the Node
 * server on a random-weight fixture: `chat.completions.parse` with a raw JSON-schema response_format
 * (made auto-parseable the way zodResponseFormat does it, with JSON.parse as the parser), strict
 * tools with tool_choice "required", and the streaming helper's accumulation of tool-call deltas.
 * Every answer is checked with ajv against the schema it was constrained by.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import OpenAI from 'openai';
import { LengthFinishReasonError } from 'openai/error';
import { makeParseableResponseFormat } from 'openai/lib/parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../packages/protocol/src/testing/schema.ts';
import { startFixtureServer, type TestServer } from './support/server.ts';

let server: TestServer;
let client: OpenAI;
const model = 'tiny-smollm2';
const ajv = new Ajv2020({ strict: false });

beforeAll(async () => {
  server = await startFixtureServer({ models: [model] });
  client = new OpenAI({ baseURL: server.baseURL, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server?.close());

const event = {
  type: 'object',
  properties: {
    title: { type: 'string', maxLength: 20 },
    day: { enum: ['mon', 'tue', 'wed', 'thu', 'fri'] },
    attendees: { type: 'integer', minimum: 1, maximum: 50 },
    remote: { type: 'boolean' },
  },
  required: ['title', 'day', 'attendees', 'remote'],
  additionalProperties: false,
};

const forecast = {
  type: 'object',
  properties: {
    unit: { enum: ['celsius', 'fahrenheit'] },
    days: { type: 'integer', minimum: 1, maximum: 7 },
  },
  required: ['unit', 'days'],
  additionalProperties: false,
};
const tools: OpenAI.ChatCompletionFunctionTool[] = [
  { type: 'function', function: { name: 'get_forecast', parameters: forecast, strict: true } },
];

describe('openai SDK: structured outputs', () => {
  it('chat.completions.parse returns the parsed object, valid against the schema', async () => {
    const responseFormat = makeParseableResponseFormat(
      { type: 'json_schema', json_schema: { name: 'event', strict: true, schema: event } },
      (content) => JSON.parse(content) as unknown,
    );
    let parsed = 0;
    for (const seed of [1, 2, 3, 4]) {
      const request = {
        model,
        messages: [{ role: 'user' as const, content: 'Plan a meeting. Answer in JSON.' }],
        response_format: responseFormat,
        temperature: 1,
        max_tokens: 300,
        seed,
      };
      const completion = await client.chat.completions.parse(request).catch((error: unknown) => {
        // An answer cut off by max_tokens is the SDK's LengthFinishReasonError, by design.
        if (error instanceof LengthFinishReasonError) return null;
        throw error;
      });
      if (!completion) continue;
      parsed++;
      const { message } = completion.choices[0];
      expect(ajv.validate(event, message.parsed), JSON.stringify(ajv.errors)).toBe(true);
      expect(message.parsed).toEqual(JSON.parse(message.content ?? ''));
    }
    expect(parsed).toBeGreaterThan(0);
  });

  it('structured_outputs (vLLM) reaches the server through the SDK as an extra field', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Pick a colour.' }],
      seed: 3,
      // @ts-expect-error vLLM extension, not in the SDK's types
      structured_outputs: { choice: ['red', 'green', 'blue'] },
    });
    expect(['red', 'green', 'blue']).toContain(completion.choices[0].message.content);
  });
});

describe('openai SDK: tool calls', () => {
  it('parse with strict tools and tool_choice required: parsed arguments valid against the parameters', async () => {
    let called = 0;
    for (const seed of [5, 6, 7]) {
      const completion = await client.chat.completions
        .parse({
          model,
          messages: [{ role: 'user', content: 'Weather in Paris?' }],
          tools,
          tool_choice: 'required',
          parallel_tool_calls: false,
          temperature: 1,
          max_tokens: 300,
          seed,
        })
        .catch((error: unknown) => {
          if (error instanceof LengthFinishReasonError) return null;
          throw error;
        });
      if (!completion) continue;
      called++;
      expect(validateAgainstSchema('CreateChatCompletionResponse', completion)).toEqual([]);
      const { message, finish_reason } = completion.choices[0];
      expect(finish_reason).toBe('tool_calls');
      expect(message.content).toBeNull();
      expect(message.tool_calls).toHaveLength(1);
      const [call] = message.tool_calls ?? [];
      expect(call.type === 'function' && call.function.name).toBe('get_forecast');
      if (call.type === 'function') expect(ajv.validate(forecast, call.function.parsed_arguments)).toBe(true);
    }
    expect(called).toBeGreaterThan(0);
  });

  it('the streaming helper merges tool-call deltas into the same calls; every chunk is schema-valid', async () => {
    const request = {
      model,
      messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
      tools,
      tool_choice: 'required' as const,
      parallel_tool_calls: false,
      temperature: 1,
      max_tokens: 300,
      seed: 8,
    };
    const stream = client.chat.completions.stream(request);
    const chunks: unknown[] = [];
    stream.on('chunk', (chunk) => chunks.push(chunk));
    const final = await stream.finalChatCompletion();
    for (const chunk of chunks)
      expect(validateAgainstSchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    const whole = await client.chat.completions.create(request);
    const { message, finish_reason } = final.choices[0];
    expect(finish_reason).toBe('tool_calls');
    expect(whole.choices[0].finish_reason).toBe('tool_calls');
    const calls = message.tool_calls ?? [];
    expect(calls).toHaveLength(1);
    expect(calls.map((c) => c.type === 'function' && [c.function.name, c.function.arguments])).toEqual(
      (whole.choices[0].message.tool_calls ?? []).map(
        (c) => c.type === 'function' && [c.function.name, c.function.arguments],
      ),
    );
    for (const call of calls) {
      expect(call.id).toMatch(/^call_/);
      if (call.type === 'function')
        expect(ajv.validate(forecast, JSON.parse(call.function.arguments))).toBe(true);
    }
  });
});
