/**
 * The Vercel AI SDK (`ai` 5 with `@ai-sdk/openai-compatible`), a client we did not write, against the
 * Node server: streamed text, a schema-valid object from `generateObject`, and a forced tool call.
 */
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateObject, generateText, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFixtureServer, type TestServer } from './support/server.ts';

let server: TestServer;
const modelId = 'tiny-qwen3';

beforeAll(async () => {
  server = await startFixtureServer({ models: [modelId, 'tiny-smollm2'] });
});
afterAll(() => server?.close());

function provider() {
  return createOpenAICompatible({
    name: 'cinder',
    baseURL: server.baseURL,
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
}

describe('Vercel AI SDK against the Node server', () => {
  it('streams text with usage and a finish reason', async () => {
    const result = streamText({
      model: provider()(modelId),
      prompt: 'Say hello.',
      maxOutputTokens: 8,
      temperature: 0,
    });
    let text = '';
    for await (const part of result.textStream) text += part;
    expect(text.length).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(await result.finishReason);
    expect((await result.usage).outputTokens).toBeGreaterThan(0);
  });

  it('generateObject returns an object that matches the schema', async () => {
    const schema = z.object({ name: z.string().max(12), age: z.number().int().min(0).max(120) });
    const { object } = await generateObject({
      model: provider()(modelId),
      schema,
      prompt: 'Describe a person.',
      maxOutputTokens: 200,
      temperature: 1,
      seed: 3,
    });
    expect(schema.safeParse(object).success).toBe(true);
  });

  it('a required tool call arrives as a tool call with arguments that match its schema', async () => {
    const parameters = z.object({ city: z.string().max(10) });
    // A non-thinking model: Qwen3 may spend the whole budget in <think> before the forced call.
    const result = await generateText({
      model: provider()('tiny-smollm2'),
      prompt: 'What is the weather in Paris?',
      tools: { get_weather: tool({ description: 'Current weather', inputSchema: parameters }) },
      toolChoice: 'required',
      maxOutputTokens: 120,
      temperature: 1,
      seed: 5,
    });
    expect(result.toolCalls.length, JSON.stringify(result.content)).toBeGreaterThanOrEqual(1);
    expect(result.toolCalls[0].toolName).toBe('get_weather');
    expect(parameters.safeParse(result.toolCalls[0].input).success).toBe(true);
    expect(result.finishReason).toBe('tool-calls');
  });
});
