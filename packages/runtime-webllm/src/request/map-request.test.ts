/**
 * Field by field: what WebLLM receives for each request field, or the 400 naming it. A stand-in
 * (recordingWebLlmEngine) replaces WebLLM: no MLC model can be downloaded here.
 */
import { ApiError } from '@cinder/protocol';
import { describe, expect, test } from 'vitest';
import { createWebLlmEngine } from '../create-webllm-engine.ts';
import { recordingWebLlmEngine } from '../testing/recording-engine.ts';
import { WEBLLM_RECORDINGS } from '../testing/recordings.ts';
import type { WebLlmRequest } from '../webllm-types.ts';

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const QWEN3 = 'Qwen3-0.6B-q4f32_1-MLC';
const base = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }] };

async function sent(fields: Record<string, unknown>, modelId = MODEL): Promise<WebLlmRequest> {
  // Thinking models' non-streaming choices run through WebLLM's stream (to count reasoning tokens).
  const webllm = recordingWebLlmEngine((r) =>
    r.stream ? WEBLLM_RECORDINGS.streamBasic : WEBLLM_RECORDINGS.completeLength,
  );
  const engine = createWebLlmEngine({ modelId, engine: webllm, vocabSize: 1000 });
  await engine.chat.completions.create({ ...base, model: modelId, ...fields });
  return webllm.requests[0];
}

async function refusal(fields: Record<string, unknown>): Promise<ApiError> {
  const webllm = recordingWebLlmEngine([WEBLLM_RECORDINGS.completeLength]);
  const engine = createWebLlmEngine({ modelId: MODEL, engine: webllm, vocabSize: 1000 });
  const error = await engine.chat.completions.create({ ...base, ...fields }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(webllm.requests).toHaveLength(0);
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe('passed through to WebLLM', () => {
  test('a bare request: model and messages only', async () => {
    expect(await sent({})).toEqual({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
  });

  test.each([
    [{ temperature: 0.3 }, { temperature: 0.3 }],
    [{ top_p: 0.9 }, { top_p: 0.9 }],
    [{ presence_penalty: 0.5 }, { presence_penalty: 0.5 }],
    [{ frequency_penalty: -0.5 }, { frequency_penalty: -0.5 }],
    [{ max_tokens: 7 }, { max_tokens: 7 }],
    [{ max_completion_tokens: 9, max_tokens: 7 }, { max_tokens: 9 }],
    [{ stop: 'END' }, { stop: ['END'] }],
    [{ stop: ['a', 'b'] }, { stop: ['a', 'b'] }],
    [{ logit_bias: { '42': -100 } }, { logit_bias: { '42': -100 } }],
    [
      { logprobs: true, top_logprobs: 3 },
      { logprobs: true, top_logprobs: 3 },
    ],
    [{ seed: 7 }, { seed: 7 }],
    [{ ignore_eos: true }, { ignore_eos: true }],
    [{ repetition_penalty: 1 }, {}],
    [{ top_k: -1, min_p: 0 }, {}],
  ])('%j', async (fields, expected) => {
    expect(await sent(fields)).toMatchObject(expected);
  });
});

describe('emulated', () => {
  test('top_p 0 (WebLLM refuses 0) becomes 1e-5: only the most likely token', async () => {
    expect((await sent({ top_p: 0 })).top_p).toBe(1e-5);
  });

  test('logprobs without top_logprobs asks WebLLM for 1 (it records nothing with 0)', async () => {
    expect(await sent({ logprobs: true })).toMatchObject({ logprobs: true, top_logprobs: 1 });
    expect(await sent({ logprobs: true, top_logprobs: 0 })).toMatchObject({ top_logprobs: 1 });
  });

  test('negative and huge seeds land in the range of WebLLM RNG (mod 2^31 - 1)', async () => {
    expect((await sent({ seed: -1 })).seed).toBe(2147483646);
    expect((await sent({ seed: 2 ** 40 })).seed).toBe(2 ** 40 % 2147483647);
  });

  test('Qwen3: reasoning_effort none / minimal -> enable_thinking false, others true; explicit kwargs win', async () => {
    const thinking = async (fields: Record<string, unknown>) =>
      (await sent(fields, QWEN3)).extra_body?.enable_thinking;
    expect(await thinking({ reasoning_effort: 'none' })).toBe(false);
    expect(await thinking({ reasoning_effort: 'minimal' })).toBe(false);
    expect(await thinking({ reasoning_effort: 'low' })).toBe(true);
    expect(await thinking({ reasoning_effort: 'max' })).toBe(true);
    expect(await thinking({})).toBeUndefined();
    expect(await thinking({ chat_template_kwargs: { enable_thinking: false } })).toBe(false);
    const both = { reasoning_effort: 'none', chat_template_kwargs: { enable_thinking: true } };
    expect(await thinking(both)).toBe(true);
  });

  test('Qwen3 with thinking off: max_tokens + 4, the empty block WebLLM writes into the output ids', async () => {
    expect(await sent({ reasoning_effort: 'none', max_tokens: 2 }, QWEN3)).toMatchObject({ max_tokens: 6 });
    expect(await sent({ reasoning_effort: 'high', max_tokens: 2 }, QWEN3)).toMatchObject({ max_tokens: 2 });
  });

  test('models without a thinking switch get no enable_thinking (WebLLM would write an empty block into any output)', async () => {
    const off = { reasoning_effort: 'none', chat_template_kwargs: { enable_thinking: false } };
    expect((await sent(off)).extra_body).toBeUndefined();
    expect((await sent(off, 'DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC')).extra_body).toBeUndefined();
  });

  test('n is one WebLLM call per choice (n never reaches WebLLM)', async () => {
    expect((await sent({ n: 1 })).n).toBeUndefined();
  });
});

describe('messages', () => {
  test('developer -> system, text parts joined, names kept, tool results', async () => {
    const messages = [
      {
        role: 'developer',
        content: [
          { type: 'text', text: 'Be ' },
          { type: 'text', text: 'brief.' },
        ],
      },
      { role: 'user', content: 'Hi', name: 'ann' },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
      { role: 'user', content: [{ type: 'text', text: 'Again' }] },
    ];
    expect((await sent({ messages })).messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi', name: 'ann' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'Again' },
    ]);
  });

  test('image parts go to WebLLM as parts (it accepts them on vision models)', async () => {
    const content = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
    ];
    expect((await sent({ messages: [{ role: 'user', content }] })).messages[0].content).toEqual(content);
  });

  test.each([
    [
      [
        { role: 'user', content: 'a' },
        { role: 'system', content: 'late' },
        { role: 'user', content: 'b' },
      ],
      'messages[1].role',
    ],
    [
      [
        { role: 'user', content: 'a' },
        { role: 'assistant', content: 'prefill' },
      ],
      'messages[1].role',
    ],
    [
      [
        { role: 'user', content: 'a' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'r' },
      ],
      'messages[1].tool_calls',
    ],
    [
      [
        {
          role: 'user',
          content: [{ type: 'image_url', image_url: { url: 'http://x/y.png', detail: 'high' } }],
        },
      ],
      'messages[0].content[0].image_url.detail',
    ],
  ])('400: %j', async (messages, param) => {
    const error = await refusal({ messages });
    expect(error.param).toBe(param);
    expect(error.status).toBe(400);
  });
});

describe('output constraints: every kind in a form WebLLM enforces (never its silently-unconstrained json_schema)', () => {
  const schema = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };
  test.each([
    [{ response_format: { type: 'text' } }, undefined],
    [{ response_format: { type: 'json_object' } }, { type: 'json_object', schema: '{"type":"object"}' }],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } },
      { type: 'json_object', schema: JSON.stringify(schema) },
    ],
    [{ structured_outputs: { json: schema } }, { type: 'json_object', schema: JSON.stringify(schema) }],
    [
      { structured_outputs: { json: JSON.stringify(schema) } },
      { type: 'json_object', schema: JSON.stringify(schema) },
    ],
    [{ structured_outputs: { grammar: 'root ::= "a"' } }, { type: 'grammar', grammar: 'root ::= "a"' }],
    [
      { structured_outputs: { regex: '[0-9]+' } },
      {
        type: 'structural_tag',
        structural_tag: { type: 'structural_tag', format: { type: 'regex', pattern: '[0-9]+' } },
      },
    ],
    [
      { structured_outputs: { choice: ['yes', 'no'] } },
      {
        type: 'structural_tag',
        structural_tag: {
          type: 'structural_tag',
          format: {
            type: 'or',
            elements: [
              { type: 'const_string', value: 'yes' },
              { type: 'const_string', value: 'no' },
            ],
          },
        },
      },
    ],
  ])('%j', async (fields, expected) => {
    expect((await sent(fields)).response_format).toEqual(expected);
  });

  test('structural_tag (vLLM legacy form) becomes triggered_tags', async () => {
    const format = (
      await sent({
        response_format: {
          type: 'structural_tag',
          structures: [{ begin: '<f>', schema: { type: 'object' }, end: '</f>' }],
          triggers: ['<f>'],
        },
      })
    ).response_format;
    expect(format).toEqual({
      type: 'structural_tag',
      structural_tag: {
        type: 'structural_tag',
        format: {
          type: 'triggered_tags',
          triggers: ['<f>'],
          tags: [
            {
              type: 'tag',
              begin: '<f>',
              content: { type: 'json_schema', json_schema: { type: 'object' } },
              end: '</f>',
            },
          ],
        },
      },
    });
  });

  test.each([
    [{ structured_outputs: { json: '{nope' } }, 'structured_outputs.json'],
    [
      { structured_outputs: { json_object: true, disable_any_whitespace: true } },
      'structured_outputs.disable_any_whitespace',
    ],
    [
      { structured_outputs: { json_object: true, whitespace_pattern: ' ?' } },
      'structured_outputs.whitespace_pattern',
    ],
  ])('400: %j', async (fields, param) => {
    expect((await refusal(fields)).param).toBe(param);
  });
});

describe('refused with a 400 naming the field and the runtime that honours it', () => {
  test.each([
    [{ top_k: 40 }, 'top_k'],
    [{ min_p: 0.1 }, 'min_p'],
    [{ repetition_penalty: 1.2 }, 'repetition_penalty'],
    [{ use_beam_search: true }, 'use_beam_search'],
    [{ min_tokens: 3 }, 'min_tokens'],
    [{ stop_token_ids: [2] }, 'stop_token_ids'],
    [{ stop: 'x', include_stop_str_in_output: true }, 'include_stop_str_in_output'],
    [{ stop: 'x', ignore_eos: true }, 'ignore_eos'],
    [{ bad_words: ['x'] }, 'bad_words'],
    [{ allowed_token_ids: [1, 2] }, 'allowed_token_ids'],
    [{ repetition_detection: { min_count: 3 } }, 'repetition_detection'],
    [{ thinking_token_budget: 100 }, 'thinking_token_budget'],
    [{ logprobs: true, top_logprobs: 6 }, 'top_logprobs'],
    [{ prompt_logprobs: 1 }, 'prompt_logprobs'],
    [{ return_token_ids: true }, 'return_token_ids'],
    [{ logprobs: true, return_tokens_as_token_ids: true }, 'return_tokens_as_token_ids'],
    [{ skip_special_tokens: false }, 'skip_special_tokens'],
    [
      { stream: true, stream_options: { continuous_usage_stats: true } },
      'stream_options.continuous_usage_stats',
    ],
    [{ truncate_prompt_tokens: 10 }, 'truncate_prompt_tokens'],
    [{ add_generation_prompt: false }, 'add_generation_prompt'],
    [{ add_special_tokens: true }, 'add_special_tokens'],
    [{ chat_template: '{{ x }}' }, 'chat_template'],
    [{ chat_template_kwargs: { foo: 1 } }, 'chat_template_kwargs'],
    [{ documents: [{ title: 't', text: 'x' }] }, 'documents'],
    [{ tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }] }, 'tools'],
    [{ functions: [{ name: 'f', parameters: { type: 'object' } }] }, 'functions'],
    [{ modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'wav' } }, 'modalities'],
    [{ web_search_options: {} }, 'web_search_options'],
    [{ watermarking: true }, 'watermarking'],
    [{ logits_processors: ['my.Proc'] }, 'logits_processors'],
    [{ logit_bias: { '5000': 1 } }, 'logit_bias'],
  ])('%j', async (fields, param) => {
    const error = await refusal(fields);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    if (error.code === 'unsupported_parameter') {
      expect(error.message).toContain('is not supported by the WebLLM runtime');
      expect(error.message).toContain("cinder's own runtime support it");
    }
  });

  test('the protocol validator runs first: the same 400s as cinder runtime', async () => {
    const error = await refusal({ temperature: 3 });
    expect(error).toMatchObject({ status: 400, param: 'temperature' });
    expect((await refusal({ bogus: 1 })).code).toBe('unrecognized_argument');
  });

  test('an unknown model is a 404', async () => {
    const error = await refusal({ model: 'other' });
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
  });
});

describe('accepted without effect, as in cinder runtime', () => {
  test.each([
    {
      user: 'u1',
      metadata: { a: 'b' },
      store: false,
      service_tier: 'auto',
      prompt_cache_key: 'k',
      verbosity: 'low',
    },
    {
      kv_transfer_params: {},
      vllm_xargs: { a: 1 },
      session_id: 's',
      stream_interval: 3,
      priority: 2,
      cache_salt: 'salt',
    },
    { echo: true, include_reasoning: true, parallel_tool_calls: true, request_id: 'req-1' },
    { include_reasoning: false, reasoning_effort: 'none', chat_template_kwargs: { enable_thinking: true } },
  ])('%j', async (fields) => {
    expect(await sent(fields)).toEqual({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
  });
});
