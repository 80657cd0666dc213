import { describe, expect, it } from 'vitest';
import { itRejects, type RejectCase, rejection } from './testing/rejections.ts';
import { base, timeTool, toolCallTurn, weatherTool } from './testing/requests.ts';

const namedChoice = (name: string) => ({ type: 'function', function: { name } });

const TOP_LEVEL: RejectCase[] = [
  ['unknown field', { foo: 1 }, 'foo', 'unrecognized_argument'],
  [
    'unknown field next to valid ones',
    { temperature: 1, guided_json: {} },
    'guided_json',
    'unrecognized_argument',
  ],
  ['prototype-ish key', { constructor: 1 }, 'constructor', 'unrecognized_argument'],
  ['model missing', { model: undefined }, 'model', 'missing_required_parameter'],
  ['model null', { model: null }, 'model', 'invalid_type'],
  ['model number', { model: 5 }, 'model', 'invalid_type'],
  ['model empty', { model: '' }, 'model', 'empty_string'],
  ['messages missing', { messages: undefined }, 'messages', 'missing_required_parameter'],
  ['messages empty', { messages: [] }, 'messages', 'empty_array'],
  ['messages string', { messages: 'hi' }, 'messages', 'invalid_type'],
];

const SAMPLING: RejectCase[] = [
  ['temperature as string', { temperature: '0.7' }, 'temperature', 'invalid_type'],
  ['temperature above 2', { temperature: 2.1 }, 'temperature', 'decimal_above_max_value'],
  ['temperature negative', { temperature: -0.1 }, 'temperature', 'decimal_below_min_value'],
  ['top_p above 1', { top_p: 1.5 }, 'top_p', 'decimal_above_max_value'],
  ['top_p negative', { top_p: -0.1 }, 'top_p', 'decimal_below_min_value'],
  ['n 0', { n: 0 }, 'n', 'integer_below_min_value'],
  ['n 129', { n: 129 }, 'n', 'integer_above_max_value'],
  ['n decimal', { n: 1.5 }, 'n', 'invalid_type'],
  ['n string', { n: '2' }, 'n', 'invalid_type'],
  ['presence_penalty 3', { presence_penalty: 3 }, 'presence_penalty', 'decimal_above_max_value'],
  ['frequency_penalty -2.5', { frequency_penalty: -2.5 }, 'frequency_penalty', 'decimal_below_min_value'],
  ['logit_bias word key', { logit_bias: { abc: 1 } }, 'logit_bias', 'invalid_value'],
  ['logit_bias negative key', { logit_bias: { '-1': 1 } }, 'logit_bias', 'invalid_value'],
  ['logit_bias signed key', { logit_bias: { '+5': 1 } }, 'logit_bias', 'invalid_value'],
  ['logit_bias above 100', { logit_bias: { '1': 101 } }, 'logit_bias.1', 'decimal_above_max_value'],
  ['logit_bias string value', { logit_bias: { '1': '5' } }, 'logit_bias.1', 'invalid_type'],
  ['logit_bias array', { logit_bias: [1] }, 'logit_bias', 'invalid_type'],
  ['logprobs string', { logprobs: 'true' }, 'logprobs', 'invalid_type'],
  ['top_logprobs 21', { logprobs: true, top_logprobs: 21 }, 'top_logprobs', 'integer_above_max_value'],
  ['top_logprobs -1', { logprobs: true, top_logprobs: -1 }, 'top_logprobs', 'integer_below_min_value'],
  ['top_logprobs without logprobs', { top_logprobs: 5 }, 'top_logprobs'],
  ['top_logprobs with logprobs false', { logprobs: false, top_logprobs: 1 }, 'top_logprobs'],
  ['max_tokens 0', { max_tokens: 0 }, 'max_tokens', 'integer_below_min_value'],
  ['max_tokens negative', { max_tokens: -2815 }, 'max_tokens', 'integer_below_min_value'],
  ['max_completion_tokens decimal', { max_completion_tokens: 1.5 }, 'max_completion_tokens', 'invalid_type'],
  ['stop empty string', { stop: '' }, 'stop', 'empty_string'],
  ['stop array with empty string', { stop: ['a', ''] }, 'stop[1]', 'empty_string'],
  [
    'stop 17 strings',
    { stop: Array.from({ length: 17 }, (_, i) => `s${i}`) },
    'stop',
    'array_above_max_length',
  ],
  ['stop number', { stop: 5 }, 'stop', 'invalid_type'],
  ['stop array of numbers', { stop: [1] }, 'stop[0]', 'invalid_type'],
  ['seed decimal', { seed: 1.5 }, 'seed', 'invalid_type'],
  ['seed above int64', { seed: 2 ** 64 }, 'seed', 'integer_above_max_value'],
  ['seed string', { seed: '42' }, 'seed', 'invalid_type'],
];

const OTHER_OPENAI: RejectCase[] = [
  ['reasoning_effort unknown', { reasoning_effort: 'extreme' }, 'reasoning_effort', 'invalid_value'],
  ['verbosity unknown', { verbosity: 'max' }, 'verbosity', 'invalid_value'],
  ['service_tier unknown', { service_tier: 'gold' }, 'service_tier', 'invalid_value'],
  ['modalities unknown', { modalities: ['video'] }, 'modalities[0]', 'invalid_value'],
  ['audio without format', { audio: { voice: 'alloy' } }, 'audio.format', 'missing_required_parameter'],
  ['audio voice number', { audio: { voice: 1, format: 'wav' } }, 'audio.voice', 'invalid_type'],
  [
    'prediction without content',
    { prediction: { type: 'content' } },
    'prediction.content',
    'missing_required_parameter',
  ],
  [
    'web_search_options bad size',
    { web_search_options: { search_context_size: 'huge' } },
    'web_search_options.search_context_size',
    'invalid_value',
  ],
  ['moderation without model', { moderation: {} }, 'moderation.model', 'missing_required_parameter'],
  ['metadata number value', { metadata: { a: 1 } }, 'metadata.a', 'invalid_type'],
  [
    'metadata 17 keys',
    { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) },
    'metadata',
    'object_above_max_properties',
  ],
  ['metadata long value', { metadata: { a: 'x'.repeat(513) } }, 'metadata.a', 'string_above_max_length'],
  [
    'safety_identifier too long',
    { safety_identifier: 'x'.repeat(65) },
    'safety_identifier',
    'string_above_max_length',
  ],
  [
    'prompt_cache_retention unknown',
    { prompt_cache_retention: '1h' },
    'prompt_cache_retention',
    'invalid_value',
  ],
  [
    'prompt_cache_options ttl',
    { prompt_cache_options: { ttl: '1h' } },
    'prompt_cache_options.ttl',
    'invalid_value',
  ],
  ['store string', { store: 'yes' }, 'store', 'invalid_type'],
  ['user number', { user: 5 }, 'user', 'invalid_type'],
];

const VLLM: RejectCase[] = [
  ['top_k -2', { top_k: -2 }, 'top_k', 'integer_below_min_value'],
  ['top_k decimal', { top_k: 1.5 }, 'top_k', 'invalid_type'],
  ['min_p above 1', { min_p: 1.1 }, 'min_p', 'decimal_above_max_value'],
  ['repetition_penalty 0', { repetition_penalty: 0 }, 'repetition_penalty', 'decimal_below_min_value'],
  [
    'repetition_penalty negative',
    { repetition_penalty: -1 },
    'repetition_penalty',
    'decimal_below_min_value',
  ],
  ['length_penalty string', { length_penalty: 'x' }, 'length_penalty', 'invalid_type'],
  ['stop_token_ids negative', { stop_token_ids: [-1] }, 'stop_token_ids[0]', 'integer_below_min_value'],
  ['stop_token_ids decimal', { stop_token_ids: [1.5] }, 'stop_token_ids[0]', 'invalid_type'],
  ['allowed_token_ids empty', { allowed_token_ids: [] }, 'allowed_token_ids', 'empty_array'],
  ['bad_words empty string', { bad_words: ['ok', ''] }, 'bad_words[1]', 'empty_string'],
  ['min_tokens negative', { min_tokens: -1 }, 'min_tokens', 'integer_below_min_value'],
  ['min_tokens above max_tokens', { min_tokens: 20, max_tokens: 10 }, 'min_tokens'],
  ['min_tokens above max_completion_tokens', { min_tokens: 20, max_completion_tokens: 10 }, 'min_tokens'],
  [
    'truncate_prompt_tokens -2',
    { truncate_prompt_tokens: -2 },
    'truncate_prompt_tokens',
    'integer_below_min_value',
  ],
  ['truncation_side middle', { truncation_side: 'middle' }, 'truncation_side', 'invalid_value'],
  ['prompt_logprobs -1', { prompt_logprobs: -1 }, 'prompt_logprobs', 'integer_below_min_value'],
  ['prompt_logprobs 21', { prompt_logprobs: 21 }, 'prompt_logprobs', 'integer_above_max_value'],
  ['prompt_logprobs string', { prompt_logprobs: '1' }, 'prompt_logprobs', 'invalid_type'],
  [
    'prompt_logprobs with stream',
    { prompt_logprobs: 1, stream: true },
    'prompt_logprobs',
    'unsupported_value',
  ],
  ['logprob_token_ids empty', { logprobs: true, logprob_token_ids: [] }, 'logprob_token_ids', 'empty_array'],
  [
    'logprob_token_ids 129',
    { logprobs: true, logprob_token_ids: Array.from({ length: 129 }, (_, i) => i) },
    'logprob_token_ids',
    'array_above_max_length',
  ],
  ['logprob_token_ids without logprobs', { logprob_token_ids: [1] }, 'logprob_token_ids'],
  [
    'logprob_token_ids with beam search',
    { logprobs: true, logprob_token_ids: [1], use_beam_search: true },
    'logprob_token_ids',
  ],
  [
    'thinking_token_budget -2',
    { thinking_token_budget: -2 },
    'thinking_token_budget',
    'integer_below_min_value',
  ],
  ['thinking_token_budget boolean', { thinking_token_budget: true }, 'thinking_token_budget', 'invalid_type'],
  [
    'repetition_detection min_count 1',
    { repetition_detection: { max_pattern_size: 2, min_count: 1 } },
    'repetition_detection.min_count',
  ],
  [
    'repetition_detection min above max',
    { repetition_detection: { min_pattern_size: 3, max_pattern_size: 2, min_count: 2 } },
    'repetition_detection',
  ],
  [
    'repetition_detection negative',
    { repetition_detection: { max_pattern_size: -1 } },
    'repetition_detection.max_pattern_size',
    'integer_below_min_value',
  ],
  ['logits_processors number', { logits_processors: [5] }, 'logits_processors[0]', 'invalid_type'],
  [
    'logits_processors without qualname',
    { logits_processors: [{ args: [] }] },
    'logits_processors[0].qualname',
    'missing_required_parameter',
  ],
  [
    'continue_final_message with add_generation_prompt',
    { continue_final_message: true, add_generation_prompt: true },
    'continue_final_message',
  ],
  ['documents with number', { documents: [{ title: 5 }] }, 'documents[0].title', 'invalid_type'],
  ['chat_template number', { chat_template: 1 }, 'chat_template', 'invalid_type'],
  ['chat_template_kwargs array', { chat_template_kwargs: [] }, 'chat_template_kwargs', 'invalid_type'],
  [
    'media_io_kwargs value string',
    { media_io_kwargs: { image: 'x' } },
    'media_io_kwargs.image',
    'invalid_type',
  ],
  ['cache_salt empty', { cache_salt: '' }, 'cache_salt'],
  ['cache_salt number', { cache_salt: 5 }, 'cache_salt'],
  ['cache_salt with slash', { cache_salt: 'a/b' }, 'cache_salt'],
  ['cache_salt with NUL', { cache_salt: 'a\0b' }, 'cache_salt'],
  ['cache_salt too long', { cache_salt: 'a'.repeat(129) }, 'cache_salt'],
  ['priority decimal', { priority: 1.5 }, 'priority', 'invalid_type'],
  ['request_id empty', { request_id: '' }, 'request_id', 'empty_string'],
  ['request_id number', { request_id: 5 }, 'request_id', 'invalid_type'],
  ['stream_interval 0', { stream_interval: 0 }, 'stream_interval', 'integer_below_min_value'],
  [
    'routed_experts_prompt_start -1',
    { routed_experts_prompt_start: -1 },
    'routed_experts_prompt_start',
    'integer_below_min_value',
  ],
  ['vllm_xargs object value', { vllm_xargs: { a: {} } }, 'vllm_xargs.a', 'invalid_type'],
  ['vllm_xargs nested array', { vllm_xargs: { a: [[1]] } }, 'vllm_xargs.a[0]', 'invalid_type'],
  ['kv_transfer_params string', { kv_transfer_params: 'x' }, 'kv_transfer_params', 'invalid_type'],
  ['use_beam_search string', { use_beam_search: 'yes' }, 'use_beam_search', 'invalid_type'],
  ['echo number', { echo: 1 }, 'echo', 'invalid_type'],
  ['include_reasoning string', { include_reasoning: 'false' }, 'include_reasoning', 'invalid_type'],
  [
    'tool defer_loading string',
    { tools: [{ ...weatherTool, defer_loading: 'yes' }] },
    'tools[0].defer_loading',
    'invalid_type',
  ],
];

describe('validateChatCompletionRequest rejects (top level)', () => itRejects(TOP_LEVEL));
describe('validateChatCompletionRequest rejects (sampling)', () => itRejects(SAMPLING));
describe('validateChatCompletionRequest rejects (other OpenAI fields)', () => itRejects(OTHER_OPENAI));
describe('validateChatCompletionRequest rejects (vLLM fields)', () => itRejects(VLLM));

describe('error messages', () => {
  it('rejects a body that is not an object, with param null', () => {
    for (const body of [null, [], 'hello', 42, undefined]) {
      const error = rejection(body);
      expect(error.status).toBe(400);
      expect(error.param).toBeNull();
      expect(error.message).toMatch(/must be a JSON object, but got/);
    }
  });

  it('uses OpenAI’s exact wording for unknown fields', () => {
    expect(rejection({ ...base, foo: 1 }).message).toBe('Unrecognized request argument supplied: foo');
  });

  it('say what was expected and what was got', () => {
    expect(rejection({ ...base, temperature: '0.7' }).message).toBe(
      "Invalid type for 'temperature': expected a number, but got a string instead.",
    );
    expect(rejection({ ...base, n: 129 }).message).toBe(
      "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 129 instead.",
    );
    expect(rejection({ ...base, messages: [] }).message).toBe(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
    );
    expect(rejection({ ...base, messages: [{ role: 'bot', content: 'x' }] }).message).toBe(
      "Invalid value for 'messages[0].role': 'bot'. Supported values are: 'developer', 'system', 'user', 'assistant', 'tool' and 'function'.",
    );
  });

  it('quotes vLLM where vLLM has a message', () => {
    expect(rejection({ ...base, tools: [] }).message).toBe(
      '`tools` must not be an empty array. Either provide at least one tool or omit the field entirely.',
    );
    expect(rejection({ ...base, cache_salt: '' }).message).toBe(
      "Parameter 'cache_salt' must be a non-empty string if provided.",
    );
    expect(rejection({ ...base, tool_choice: 'auto' }).message).toBe(
      'When using `tool_choice`, `tools` must be set.',
    );
    expect(rejection({ ...base, response_format: { type: 'json_schema' } }).message).toBe(
      "When response_format type is 'json_schema', the 'json_schema' field must be provided.",
    );
    expect(rejection({ ...base, continue_final_message: true, add_generation_prompt: true }).message).toBe(
      'Cannot set both `continue_final_message` and `add_generation_prompt` to True.',
    );
  });

  it('names the tool call ids that were not answered', () => {
    const error = rejection({ ...base, messages: toolCallTurn.slice(0, 3) });
    expect(error.message).toContain("'call_1'");
    expect(error.message).not.toContain("'call_2'");
  });

  it('lists the available tools when a named choice does not match', () => {
    const error = rejection({ ...base, tools: [weatherTool, timeTool], tool_choice: namedChoice('nope') });
    expect(error.message).toContain("'get_weather' and 'get-time_2'");
  });
});
