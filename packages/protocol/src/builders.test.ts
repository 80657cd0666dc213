import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  buildChatCompletion,
  buildChoice,
  buildMessage,
  buildUsage,
  newCompletionId,
  newToolCallId,
  unixSeconds,
} from './builders.ts';
import type { ChatCompletion } from './response-types.ts';
import { validateAgainstSchema } from './testing/schema.ts';

const head = { id: 'chatcmpl-abc', created: 1741569952, model: 'qwen3-0.6b' };
const usage = buildUsage({ promptTokens: 9, completionTokens: 2 });

const logprobs = {
  content: [
    {
      token: 'Hi',
      logprob: -0.25,
      bytes: [72, 105],
      top_logprobs: [
        { token: 'Hi', logprob: -0.25, bytes: [72, 105] },
        { token: 'Hello', logprob: -1.5, bytes: [72, 101, 108, 108, 111] },
      ],
    },
  ],
  refusal: null,
};

const COMPLETIONS: [string, ChatCompletion][] = [
  [
    'plain text',
    buildChatCompletion(head, [buildChoice(0, buildMessage({ content: 'Hello!' }), 'stop')], usage),
  ],
  [
    'tool calls, empty content',
    buildChatCompletion(
      head,
      [
        buildChoice(
          0,
          buildMessage({
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
            ],
          }),
          'tool_calls',
        ),
      ],
      usage,
    ),
  ],
  [
    'n=2 with logprobs and a length stop',
    buildChatCompletion(
      { ...head, system_fingerprint: 'fp_cinder' },
      [
        buildChoice(0, buildMessage({ content: 'Hi' }), 'stop', { logprobs }),
        buildChoice(1, buildMessage({ content: 'Hi' }), 'length', { logprobs }),
      ],
      buildUsage({ promptTokens: 9, completionTokens: 2, cachedTokens: 8, reasoningTokens: 0 }),
    ),
  ],
  [
    'vLLM extras',
    buildChatCompletion(
      head,
      [
        buildChoice(
          0,
          buildMessage({ content: '42', reasoning_content: 'think', reasoning: 'think' }),
          'stop',
          {
            stop_reason: '</answer>',
            token_ids: [19, 17],
          },
        ),
        buildChoice(1, buildMessage({ content: '41' }), 'stop', { stop_reason: 151645 }),
      ],
      usage,
      {
        prompt_token_ids: [1, 2, 3],
        prompt_logprobs: [null, { '2': { logprob: -1, rank: 1, decoded_token: 'b' } }],
        prompt_text: '<|im_start|>user',
      },
    ),
  ],
];

describe('buildChatCompletion', () => {
  it.each(COMPLETIONS)('%s is valid against CreateChatCompletionResponse', (_name, completion) => {
    expect(validateAgainstSchema('CreateChatCompletionResponse', completion)).toEqual([]);
  });

  it('builds the exact OpenAI shape', () => {
    expect(COMPLETIONS[0][1]).toEqual({
      id: 'chatcmpl-abc',
      object: 'chat.completion',
      created: 1741569952,
      model: 'qwen3-0.6b',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello!', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 9,
        completion_tokens: 2,
        total_tokens: 11,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it('omits system_fingerprint unless given, and never sends null', () => {
    expect('system_fingerprint' in COMPLETIONS[0][1]).toBe(false);
    expect(COMPLETIONS[2][1].system_fingerprint).toBe('fp_cinder');
  });

  it('puts vLLM extras where vLLM does', () => {
    const completion = COMPLETIONS[3][1];
    expect(completion.prompt_token_ids).toEqual([1, 2, 3]);
    expect(completion.choices[0]).toMatchObject({ stop_reason: '</answer>', token_ids: [19, 17] });
    expect(completion.choices[0].message.reasoning_content).toBe('think');
    expect(completion.choices[1].stop_reason).toBe(151645);
    expect('stop_reason' in COMPLETIONS[0][1].choices[0]).toBe(false);
  });

  it('leaves out empty tool_calls and unset reasoning', () => {
    const message = buildMessage({ content: 'x', tool_calls: [], reasoning_content: null });
    expect(message).toEqual({ role: 'assistant', content: 'x', refusal: null });
  });

  it('is what the openai SDK returns from create()', async () => {
    const client = new OpenAI({
      apiKey: 'test',
      baseURL: 'http://cinder.test/v1',
      fetch: async () => Response.json(COMPLETIONS[1][1]),
    });
    const result = await client.chat.completions.create({
      model: 'qwen3-0.6b',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result).toEqual(COMPLETIONS[1][1]);
    expect(result.choices[0].message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather' } });
  });
});

describe('buildUsage', () => {
  it('totals and details', () => {
    const u = buildUsage({ promptTokens: 100, completionTokens: 20, cachedTokens: 64, reasoningTokens: 12 });
    expect(u).toMatchObject({ total_tokens: 120, prompt_tokens_details: { cached_tokens: 64 } });
    expect(u.completion_tokens_details?.reasoning_tokens).toBe(12);
    expect(validateAgainstSchema('CompletionUsage', u)).toEqual([]);
  });
});

describe('ids and time', () => {
  it('newCompletionId is chatcmpl- plus 32 random hex digits', () => {
    const ids = new Set(Array.from({ length: 100 }, newCompletionId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
  });

  it('newToolCallId is call_ plus 24 random hex digits', () => {
    expect(newToolCallId()).toMatch(/^call_[0-9a-f]{24}$/);
    expect(newToolCallId()).not.toBe(newToolCallId());
  });

  it('unixSeconds floors milliseconds', () => {
    expect(unixSeconds(1741569952999)).toBe(1741569952);
    const now = unixSeconds();
    expect(Number.isInteger(now)).toBe(true);
    expect(Math.abs(now - Date.now() / 1000)).toBeLessThan(2);
  });
});
