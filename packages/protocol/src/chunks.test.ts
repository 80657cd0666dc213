import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { buildUsage } from './builders.ts';
import {
  buildDeltaChunk,
  buildFinishChunk,
  buildRoleChunk,
  buildUsageChunk,
  type StreamHead,
  toolCallArguments,
  toolCallStart,
} from './chunks.ts';
import type { ChatCompletionChunk } from './response-types.ts';
import { encodeSseEvent, SSE_DONE } from './sse.ts';
import { validateAgainstSchema } from './testing/schema.ts';

const head: StreamHead = { id: 'chatcmpl-1', created: 1741569952, model: 'm', includeUsage: true };

/** The stream sse-notes.md §1 shows, byte for byte. */
const SSE_NOTES_EXAMPLE = `data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"m","choices":[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"m","choices":[{"index":0,"delta":{"content":"lo"},"logprobs":null,"finish_reason":null}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"m","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}],"usage":null}

data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1741569952,"model":"m","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

data: [DONE]

`;

function textStream(h: StreamHead): ChatCompletionChunk[] {
  return [
    buildRoleChunk(h),
    buildDeltaChunk(h, 0, { content: 'Hel' }),
    buildDeltaChunk(h, 0, { content: 'lo' }),
    buildFinishChunk(h, 0, 'stop'),
    buildUsageChunk(h, { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 }),
  ];
}

function toolStream(h: StreamHead): ChatCompletionChunk[] {
  return [
    buildRoleChunk(h),
    buildDeltaChunk(h, 0, { tool_calls: [toolCallStart(0, 'call_a', 'get_weather')] }),
    buildDeltaChunk(h, 0, { tool_calls: [toolCallArguments(0, '{"city":')] }),
    buildDeltaChunk(h, 0, { tool_calls: [toolCallStart(1, 'call_b', 'get_time')] }),
    buildDeltaChunk(h, 0, { tool_calls: [toolCallArguments(0, '"Paris"}'), toolCallArguments(1, '{}')] }),
    buildFinishChunk(h, 0, 'tool_calls'),
    buildUsageChunk(h, buildUsage({ promptTokens: 30, completionTokens: 12 })),
  ];
}

function twoChoiceStream(h: StreamHead): ChatCompletionChunk[] {
  return [
    buildRoleChunk(h, 0),
    buildRoleChunk(h, 1),
    buildDeltaChunk(h, 1, { content: 'B' }),
    buildDeltaChunk(h, 0, { reasoning_content: 'hmm' }),
    buildDeltaChunk(h, 0, { content: 'A' }),
    buildFinishChunk(h, 1, 'length'),
    buildFinishChunk(h, 0, 'stop'),
  ];
}

const sse = (chunks: ChatCompletionChunk[]) => chunks.map(encodeSseEvent).join('') + SSE_DONE;

/** Runs an SSE body through the real openai SDK's stream helper (accumulation + finalization). */
async function finalViaSdk(body: string) {
  const client = new OpenAI({
    apiKey: 'test',
    baseURL: 'http://cinder.test/v1',
    fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  });
  const stream = client.chat.completions.stream({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
  return stream.finalChatCompletion();
}

describe('stream chunks', () => {
  it('reproduce the sse-notes.md example byte for byte', () => {
    expect(sse(textStream(head))).toBe(SSE_NOTES_EXAMPLE);
  });

  it.each([
    ['text, include_usage', textStream(head)],
    ['text, no usage', textStream({ ...head, includeUsage: false })],
    ['tool calls', toolStream(head)],
    ['two choices', twoChoiceStream({ ...head, system_fingerprint: 'fp_x' })],
  ])('%s: every chunk is valid against CreateChatCompletionStreamResponse', (_name, chunks) => {
    for (const chunk of chunks)
      expect(validateAgainstSchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
  });

  it('have no usage key at all without include_usage', () => {
    for (const chunk of textStream({ ...head, includeUsage: false }).slice(0, 4))
      expect('usage' in chunk).toBe(false);
  });

  it('put system_fingerprint right after model when given', () => {
    const chunk = buildRoleChunk({ ...head, system_fingerprint: 'fp_x' });
    expect(Object.keys(chunk)).toEqual([
      'id',
      'object',
      'created',
      'model',
      'system_fingerprint',
      'choices',
      'usage',
    ]);
    expect('system_fingerprint' in buildRoleChunk(head)).toBe(false);
  });

  it('shape tool-call deltas as sse-notes.md §3.3 asks', () => {
    expect(toolCallStart(0, 'call_a', 'f')).toEqual({
      index: 0,
      id: 'call_a',
      type: 'function',
      function: { name: 'f', arguments: '' },
    });
    expect(toolCallArguments(2, '{}')).toEqual({ index: 2, function: { arguments: '{}' } });
  });

  it('carry vLLM extras when asked', () => {
    const role = buildRoleChunk(head, 0, { prompt_token_ids: [1, 2] });
    expect(role.prompt_token_ids).toEqual([1, 2]);
    const delta = buildDeltaChunk(
      head,
      0,
      { content: 'x' },
      { token_ids: [7], usage: buildUsage({ promptTokens: 2, completionTokens: 1 }) },
    );
    expect(delta.choices[0].token_ids).toEqual([7]);
    expect(delta.usage?.total_tokens).toBe(3);
    const finish = buildFinishChunk(head, 0, 'stop', { stop_reason: 151645 });
    expect(finish.choices[0]).toEqual({
      index: 0,
      delta: {},
      logprobs: null,
      finish_reason: 'stop',
      stop_reason: 151645,
    });
  });

  it('accumulate to the right completion in the openai SDK (text)', async () => {
    const final = await finalViaSdk(sse(textStream(head)));
    expect(final.choices[0].message).toMatchObject({ role: 'assistant', content: 'Hello' });
    expect(final.choices[0].finish_reason).toBe('stop');
    expect(final.usage?.total_tokens).toBe(11);
  });

  it('accumulate to the right completion in the openai SDK (parallel tool calls)', async () => {
    const final = await finalViaSdk(sse(toolStream(head)));
    expect(final.choices[0].finish_reason).toBe('tool_calls');
    expect(final.choices[0].message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
  });

  it('accumulate to the right completion in the openai SDK (two choices)', async () => {
    const final = await finalViaSdk(sse(twoChoiceStream({ ...head, includeUsage: false })));
    expect(final.choices.map((c) => [c.message.content, c.finish_reason])).toEqual([
      ['A', 'stop'],
      ['B', 'length'],
    ]);
  });
});
