/**
 * Plausible request bodies for tests: building blocks and two "every field at once" requests
 * (one pure OpenAI, one with every vLLM extension). Shared by this package's tests and others'.
 */
export const user = { role: 'user', content: 'What is the weather in Paris?' } as const;
export const base = { model: 'qwen3-0.6b', messages: [user] };

export const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    strict: true,
  },
} as const;

export const timeTool = {
  type: 'function',
  function: { name: 'get-time_2', parameters: { type: 'object', properties: {} } },
} as const;

export const toolCallTurn = [
  user,
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get-time_2', arguments: '{}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_2', content: '12:00' },
  { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '18C, sunny' }] },
  { role: 'assistant', content: 'It is 18C and sunny in Paris at noon.' },
  { role: 'user', content: 'Thanks!' },
];

/** A request that uses every OpenAI field at once, with values a real client sends. */
export const everyOpenAiField = {
  model: 'gpt-4o-mini',
  messages: [
    { role: 'developer', content: 'Be brief.', name: 'dev' },
    { role: 'system', content: [{ type: 'text', text: 'You are helpful.' }] },
    {
      role: 'user',
      name: 'alice',
      content: [
        { type: 'text', text: 'Describe these.' },
        { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
        { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
        { type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
      ],
    },
    { role: 'assistant', content: [{ type: 'text', text: 'A cat.' }], refusal: null },
    { role: 'user', content: 'And the weather?' },
  ],
  temperature: 0.7,
  top_p: 0.9,
  n: 2,
  presence_penalty: 0.5,
  frequency_penalty: -0.5,
  logit_bias: { '50256': -100, '13': 5 },
  logprobs: true,
  top_logprobs: 5,
  max_completion_tokens: 256,
  stop: ['\n\n', 'END'],
  seed: 1234,
  stream: true,
  stream_options: { include_usage: true, include_obfuscation: false },
  tools: [weatherTool, timeTool],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  response_format: { type: 'text' },
  reasoning_effort: 'low',
  verbosity: 'medium',
  service_tier: 'auto',
  modalities: ['text'],
  audio: { voice: 'alloy', format: 'mp3' },
  prediction: { type: 'content', content: 'The weather is' },
  web_search_options: {
    search_context_size: 'low',
    user_location: { type: 'approximate', approximate: { country: 'FR', city: 'Paris' } },
  },
  moderation: { model: 'omni-moderation-latest', policy: { input: { mode: 'score' }, output: null } },
  metadata: { session: 'abc', team: 'infra' },
  store: false,
  user: 'user-123',
  safety_identifier: 'hashed-user-123',
  prompt_cache_key: 'weather-bot',
  prompt_cache_retention: 'in_memory',
  prompt_cache_options: { ttl: '30m', mode: 'implicit' },
};

/** Every vLLM extension at once (seed 004 + vllm-rules.md §2), with plausible values. */
export const everyVllmField = {
  ...base,
  max_tokens: 64,
  use_beam_search: false,
  top_k: 40,
  min_p: 0.05,
  repetition_penalty: 1.1,
  length_penalty: 1.0,
  watermarking: false,
  stop_token_ids: [151645, 151643],
  include_stop_str_in_output: false,
  ignore_eos: false,
  min_tokens: 4,
  skip_special_tokens: true,
  spaces_between_special_tokens: true,
  truncate_prompt_tokens: 2048,
  truncation_side: 'left',
  prompt_logprobs: 2,
  logprobs: true,
  logprob_token_ids: [9454, 2753],
  allowed_token_ids: [1, 2, 3, 9454, 2753],
  bad_words: ['darn', 'heck'],
  thinking_token_budget: 512,
  repetition_detection: { max_pattern_size: 8, min_pattern_size: 2, min_count: 3 },
  logits_processors: [
    'my_module.MyProcessor',
    { qualname: 'my_module.make', args: [1, 2], kwargs: { p: 0.5 } },
  ],
  echo: false,
  add_generation_prompt: true,
  continue_final_message: false,
  add_special_tokens: false,
  documents: [{ title: 'Paris', text: 'Paris is the capital of France.' }],
  chat_template: '{% for m in messages %}{{ m.content }}{% endfor %}',
  chat_template_kwargs: { enable_thinking: false },
  media_io_kwargs: { image: { max_size: 1024 } },
  mm_processor_kwargs: { num_crops: 4 },
  include_reasoning: true,
  structured_outputs: { choice: ['yes', 'no'], disable_any_whitespace: true, whitespace_pattern: '[ ]?' },
  priority: -1,
  request_id: 'req-42',
  session_id: 'session-7',
  cache_salt: 'c2FsdHNhbHRzYWx0c2FsdA',
  stream_interval: 4,
  return_tokens_as_token_ids: false,
  return_token_ids: true,
  return_token_offsets: false,
  return_prompt_text: true,
  return_mm_kwargs: true,
  routed_experts_prompt_start: 0,
  kv_transfer_params: { do_remote_prefill: false },
  ec_transfer_params: {},
  vllm_xargs: { tag: 'x', weight: 0.5, ids: [1, 'two', 3] },
};
