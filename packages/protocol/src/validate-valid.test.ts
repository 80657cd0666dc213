import { describe, expect, it } from 'vitest';
import schema from '../spec/openai-schemas.json' with { type: 'json' };
import {
  base,
  everyOpenAiField,
  everyVllmField,
  timeTool,
  toolCallTurn,
  user,
  weatherTool,
} from './testing/requests.ts';
import { validateAgainstSchema } from './testing/schema.ts';
import { KNOWN_REQUEST_FIELDS, validateChatCompletionRequest } from './validate.ts';

interface ValidCase {
  name: string;
  body: Record<string, unknown>;
  /** Pure OpenAI: must also pass OpenAI's schema (with unknown keys rejected). */
  openai: boolean;
}

const openai = (name: string, extra: Record<string, unknown>): ValidCase => ({
  name,
  body: { ...base, ...extra },
  openai: true,
});
const vllm = (name: string, extra: Record<string, unknown>): ValidCase => ({
  name,
  body: { ...base, ...extra },
  openai: false,
});

const VALID: ValidCase[] = [
  openai('minimal', {}),
  { name: 'every OpenAI field at once', body: everyOpenAiField, openai: true },
  { name: 'every vLLM field at once', body: everyVllmField, openai: false },
  // messages
  openai('tool-call round trip with parallel calls', {
    messages: toolCallTurn,
    tools: [weatherTool, timeTool],
  }),
  openai('assistant with empty content and tool_calls', {
    messages: [user, { ...toolCallTurn[1], content: '' }, toolCallTurn[2], toolCallTurn[3]],
  }),
  openai('assistant refusal only', {
    messages: [user, { role: 'assistant', content: null, refusal: 'I cannot.' }, user],
  }),
  openai('assistant refusal part', {
    messages: [user, { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] }, user],
  }),
  openai('deprecated function message', {
    messages: [user, { role: 'function', name: 'get_weather', content: null }],
  }),
  openai('data: image url', {
    messages: [
      {
        role: 'user',
        content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } }],
      },
    ],
  }),
  openai('file part by id', {
    messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }],
  }),
  openai('text part with cache breakpoint', {
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'x', prompt_cache_breakpoint: { mode: 'explicit' } }] },
    ],
  }),
  openai('empty string content', { messages: [{ role: 'user', content: '' }] }),
  vllm('assistant echoed back from a response (nulls, annotations, reasoning)', {
    messages: [
      user,
      {
        role: 'assistant',
        content: 'Sunny.',
        refusal: null,
        tool_calls: null,
        function_call: null,
        audio: null,
        annotations: [],
        reasoning_content: 'The user wants weather.',
      },
      { role: 'user', content: 'More?' },
    ],
  }),
  // sampling edges
  openai('temperature 0 and 2', { temperature: 0, n: 1 }),
  openai('temperature 2', { temperature: 2 }),
  openai('top_p 0 (greedy)', { top_p: 0 }),
  openai('top_p 1', { top_p: 1 }),
  openai('n 128 with temperature 0', { n: 128, temperature: 0 }),
  openai('penalties at bounds', { presence_penalty: -2, frequency_penalty: 2 }),
  openai('logit_bias bounds', { logit_bias: { '0': -100, '151643': 100 } }),
  openai('top_logprobs 20 with logprobs', { logprobs: true, top_logprobs: 20 }),
  vllm('top_logprobs 0 without logprobs', { top_logprobs: 0 }),
  openai('max_tokens 1', { max_tokens: 1 }),
  openai('max_tokens equal to max_completion_tokens', { max_tokens: 100, max_completion_tokens: 100 }),
  openai('max_tokens and max_completion_tokens differ (the latter wins)', {
    max_tokens: 10,
    max_completion_tokens: 20,
  }),
  openai('stop string', { stop: '\n' }),
  openai('four stop strings', { stop: ['a', 'b', 'c', 'd'] }),
  vllm('no stop strings', { stop: [] }),
  vllm('sixteen stop strings', { stop: Array.from({ length: 16 }, (_, i) => `s${i}`) }),
  openai('seed at int64 bounds', { seed: -(2 ** 63) }),
  openai('seed 2^63 (what 2^63-1 parses to)', { seed: JSON.parse('9223372036854775807') }),
  vllm('decimal logit_bias', { logit_bias: { '42': 2.5 } }),
  // streaming
  openai('stream with usage', { stream: true, stream_options: { include_usage: true } }),
  vllm('stream with continuous usage', {
    stream: true,
    stream_options: { include_usage: true, continuous_usage_stats: true },
  }),
  openai('stream false without options', { stream: false }),
  // tools
  openai('tool_choice none without tools', { tool_choice: 'none' }),
  openai('tool_choice required', { tools: [weatherTool], tool_choice: 'required' }),
  openai('named tool_choice', {
    tools: [weatherTool, timeTool],
    tool_choice: { type: 'function', function: { name: 'get-time_2' } },
  }),
  vllm('tool_choice null with tools', { tools: [weatherTool], tool_choice: null }),
  vllm('tools null', { tools: null, tool_choice: null }),
  openai('128 tools', {
    tools: Array.from({ length: 128 }, (_, i) => ({ type: 'function', function: { name: `t${i}` } })),
  }),
  openai('deprecated functions', {
    functions: [{ name: 'get_weather', parameters: { type: 'object' } }],
    function_call: { name: 'get_weather' },
  }),
  openai('function_call auto', { functions: [{ name: 'f' }], function_call: 'auto' }),
  // response formats
  openai('json_object', { response_format: { type: 'json_object' } }),
  openai('json_schema', {
    response_format: {
      type: 'json_schema',
      json_schema: { name: 'weather', description: 'w', schema: { type: 'object' }, strict: true },
    },
  }),
  openai('json_schema without schema', {
    response_format: { type: 'json_schema', json_schema: { name: 'w' } },
  }),
  vllm('structural_tag format', {
    response_format: {
      type: 'structural_tag',
      format: { type: 'triggered_tags', triggers: ['<tool'], tags: [] },
    },
  }),
  vllm('legacy structural_tag', {
    response_format: {
      type: 'structural_tag',
      structures: [{ begin: '<fn=get_weather>', schema: { type: 'object' }, end: '</fn>' }],
      triggers: ['<fn='],
    },
  }),
  // misc OpenAI enums
  ...['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'].map((effort) =>
    openai(`reasoning_effort ${effort}`, { reasoning_effort: effort }),
  ),
  openai('audio with custom voice', {
    modalities: ['text', 'audio'],
    audio: { voice: { id: 'voice_1' }, format: 'pcm16' },
  }),
  openai('prediction as text parts', {
    prediction: { type: 'content', content: [{ type: 'text', text: 'x' }] },
  }),
  openai('metadata at limits', {
    metadata: Object.fromEntries(
      Array.from({ length: 16 }, (_, i) => [`k${i}`.padEnd(64, 'x'), 'v'.repeat(512)]),
    ),
  }),
  // nulls mean "not given"
  vllm(
    'null for every optional field',
    Object.fromEntries(
      KNOWN_REQUEST_FIELDS.filter((k) => k !== 'model' && k !== 'messages').map((k) => [k, null]),
    ),
  ),
  // vLLM specifics
  ...[-1, 0, 1, 50].map((k) => vllm(`top_k ${k}`, { top_k: k })),
  vllm('min_p bounds', { min_p: 1 }),
  vllm('repetition_penalty small', { repetition_penalty: 0.01 }),
  vllm('min_tokens equal to max', { min_tokens: 8, max_completion_tokens: 8 }),
  vllm('min_tokens without max', { min_tokens: 1000 }),
  vllm('truncate_prompt_tokens -1', { truncate_prompt_tokens: -1 }),
  vllm('prompt_logprobs 0 with stream', { prompt_logprobs: 0, stream: true }),
  vllm('thinking_token_budget -1', { thinking_token_budget: -1 }),
  vllm('thinking_token_budget 0', { thinking_token_budget: 0 }),
  vllm('continue_final_message with prefill', {
    messages: [user, { role: 'assistant', content: 'The weather in Paris is' }],
    continue_final_message: true,
    add_generation_prompt: false,
  }),
  vllm('continue_final_message alone (add_generation_prompt defaulted)', {
    messages: [user, { role: 'assistant', content: 'Sure' }],
    continue_final_message: true,
  }),
  vllm('structured json object', { structured_outputs: { json: { type: 'object' } } }),
  vllm('structured json string', { structured_outputs: { json: '{"type":"object"}' } }),
  vllm('structured regex', { structured_outputs: { regex: '\\d{3}-\\d{4}' } }),
  vllm('structured grammar', { structured_outputs: { grammar: 'root ::= "yes" | "no"' } }),
  vllm('structured json_object', { structured_outputs: { json_object: true } }),
  vllm('structured structural_tag', { structured_outputs: { structural_tag: '{"type":"structural_tag"}' } }),
  vllm('structured with tool_choice auto', {
    structured_outputs: { regex: 'a+' },
    tools: [weatherTool],
    tool_choice: 'auto',
  }),
  vllm('structured with response_format text', {
    structured_outputs: { regex: 'a+' },
    response_format: { type: 'text' },
  }),
  vllm('cache_salt of 128 characters', { cache_salt: 'a'.repeat(128) }),
  vllm('priority extremes', { priority: 2 ** 63 }),
  vllm('repetition_detection disabled', { repetition_detection: { max_pattern_size: 0 } }),
  vllm('tool with defer_loading', { tools: [{ ...weatherTool, defer_loading: true }] }),
  vllm('beam search', { use_beam_search: true, n: 4, length_penalty: 0.8 }),
];

describe('validateChatCompletionRequest accepts', () => {
  it.each(VALID.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(validateChatCompletionRequest(c.body)).toBe(c.body);
  });

  it.each(VALID.filter((c) => c.openai).map((c) => [c.name, c] as const))(
    'and OpenAI’s strict schema agrees: %s',
    (_name, c) => {
      expect(validateAgainstSchema('CreateChatCompletionRequestStrict', c.body)).toEqual([]);
    },
  );

  it('returns the body unchanged (no mutation)', () => {
    const body = structuredClone(everyVllmField);
    validateChatCompletionRequest(body);
    expect(body).toEqual(everyVllmField);
  });
});

describe('KNOWN_REQUEST_FIELDS', () => {
  /** Top-level property names of CreateChatCompletionRequest, following its allOf chain. */
  function openAiFields(): string[] {
    const defs = schema.$defs as Record<
      string,
      { allOf?: { $ref?: string; properties?: object }[]; properties?: object }
    >;
    const names = new Set<string>();
    const visit = (name: string) => {
      const def = defs[name];
      for (const key of Object.keys(def.properties ?? {})) names.add(key);
      for (const part of def.allOf ?? []) {
        if (part.$ref) visit(part.$ref.replace('#/$defs/', ''));
        for (const key of Object.keys(part.properties ?? {})) names.add(key);
      }
    };
    visit('CreateChatCompletionRequest');
    return [...names];
  }

  it('covers every OpenAI request field', () => {
    const fields = openAiFields();
    expect(fields.length).toBeGreaterThan(35);
    expect(fields.filter((f) => !KNOWN_REQUEST_FIELDS.includes(f))).toEqual([]);
  });

  it('covers every vLLM extension (vllm-rules.md §2, seed 004)', () => {
    const vllmFields =
      `use_beam_search top_k min_p repetition_penalty watermarking length_penalty stop_token_ids
      include_stop_str_in_output ignore_eos min_tokens skip_special_tokens spaces_between_special_tokens
      truncate_prompt_tokens truncation_side prompt_logprobs logprob_token_ids allowed_token_ids bad_words echo
      add_generation_prompt continue_final_message add_special_tokens documents chat_template chat_template_kwargs
      media_io_kwargs mm_processor_kwargs structured_outputs priority request_id session_id return_tokens_as_token_ids
      return_token_ids routed_experts_prompt_start return_token_offsets return_prompt_text return_mm_kwargs cache_salt
      kv_transfer_params ec_transfer_params vllm_xargs repetition_detection stream_interval thinking_token_budget
      include_reasoning logits_processors`.split(/\s+/);
    expect(vllmFields.filter((f) => !KNOWN_REQUEST_FIELDS.includes(f))).toEqual([]);
  });

  it('is exercised by the two all-fields fixtures', () => {
    const used = new Set([...Object.keys(everyOpenAiField), ...Object.keys(everyVllmField)]);
    const unused = KNOWN_REQUEST_FIELDS.filter((f) => !used.has(f));
    // mutually exclusive with fields already in the fixtures
    expect(unused.sort()).toEqual(
      ['function_call', 'functions', 'max_tokens'].filter((f) => !used.has(f)).sort(),
    );
  });
});
