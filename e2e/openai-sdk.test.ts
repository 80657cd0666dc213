/**
 * The official `openai` npm SDK, unmodified, against our Node server on a fixture model:
 * a completion, a stream with usage, and logprobs. Every body and chunk is checked against
 * OpenAI's published JSON Schemas.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../packages/protocol/src/testing/schema.ts';
import { startFixtureServer, type TestServer } from './support/server.ts';

let server: TestServer;
let client: OpenAI;
const model = 'tiny-qwen3';

beforeAll(async () => {
  server = await startFixtureServer({ models: [model] });
  client = new OpenAI({ baseURL: server.baseURL, apiKey: 'unused', maxRetries: 0 });
});
afterAll(() => server?.close());

describe('openai SDK against the Node server', () => {
  it('gets a completion', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Say hello.' },
      ],
      max_tokens: 8,
      temperature: 0,
    });
    expect(validateAgainstSchema('CreateChatCompletionResponse', completion)).toEqual([]);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe(model);
    expect(completion.choices).toHaveLength(1);
    const [choice] = completion.choices;
    expect(['stop', 'length']).toContain(choice.finish_reason);
    expect(typeof choice.message.content).toBe('string');
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.completion_tokens).toBeLessThanOrEqual(8);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it('streams with include_usage, and the stream equals the non-streamed completion', async () => {
    const request = {
      model,
      messages: [{ role: 'user' as const, content: 'Tell me a story.' }],
      max_tokens: 12,
      temperature: 0,
    };
    const whole = await client.chat.completions.create(request);
    const stream = await client.chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usageChunks = 0;
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(validateAgainstSchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
      if (chunk.usage) {
        usageChunks++;
        expect(chunk.choices).toEqual([]);
        expect(chunk.usage).toMatchObject({
          prompt_tokens: whole.usage?.prompt_tokens,
          completion_tokens: whole.usage?.completion_tokens,
        });
        continue;
      }
      const choice = chunk.choices[0];
      text += choice.delta.content ?? '';
      if (choice.finish_reason) finish = choice.finish_reason;
    }
    expect(chunks).toBeGreaterThan(2);
    expect(usageChunks).toBe(1);
    expect(text).toBe(whole.choices[0].message.content);
    expect(finish).toBe(whole.choices[0].finish_reason);
  });

  it('returns logprobs with top_logprobs', async () => {
    const completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Count to three.' }],
      max_tokens: 5,
      temperature: 0,
      logprobs: true,
      top_logprobs: 3,
    });
    expect(validateAgainstSchema('CreateChatCompletionResponse', completion)).toEqual([]);
    const content = completion.choices[0].logprobs?.content ?? [];
    expect(content.length).toBe(completion.usage?.completion_tokens);
    for (const entry of content) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(3);
      // Greedy: the chosen token is the most likely one.
      expect(entry.logprob).toBeCloseTo(entry.top_logprobs[0].logprob, 5);
      const sorted = [...entry.top_logprobs].sort((a, b) => b.logprob - a.logprob);
      expect(entry.top_logprobs).toEqual(sorted);
    }
  });

  it('stream helper (ChatCompletionStream) finalizes the message', async () => {
    const runner = client.chat.completions.stream({
      model,
      messages: [{ role: 'user', content: 'Hi' }],
      max_tokens: 6,
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].message.role).toBe('assistant');
    expect(final.choices[0].finish_reason).toBeTruthy();
  });

  it('lists and retrieves models; unknown models are 404 NotFoundError', async () => {
    const list = await client.models.list();
    expect(list.data.map((m) => m.id)).toContain(model);
    expect((await client.models.retrieve(model)).id).toBe(model);
    await expect(client.models.retrieve('nope')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(
      client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  });

  it('surfaces validation errors as BadRequestError naming the param', async () => {
    await expect(
      client.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }], temperature: 3 }),
    ).rejects.toMatchObject({ status: 400, param: 'temperature' });
  });
});
