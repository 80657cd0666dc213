/**
 * vLLM's extended request fields (seed 004 and vllm-rules.md §2/§3): valid values and the values
 * vLLM's own validators reject. Conflicting combinations live in cases-rules.ts.
 */
import { bad, type CaseSpec, either, expandGroup, fieldRows, ok, type SweepCase } from './case.ts';

const ABC = 'abc';
const OOV = 10_000_000; // out of vocabulary for every fixture
const BOTH = ['tiny-qwen3', 'tiny-smollm2'] as const;

const sampling: CaseSpec[] = [
  ...fieldRows('use_beam_search', { valid: [false, true], invalid: [ABC, {}] }),
  ...fieldRows('top_k', { valid: [0, 1, 5, -1, null, 1_000_000], invalid: [-2, 1.5, ABC] }),
  ...fieldRows('min_p', { valid: [0, 0.1, 1, null], invalid: [-0.1, 1.5, ABC] }),
  ...fieldRows('repetition_penalty', { valid: [1, 1.2, 0.5, null], invalid: [0, -1, ABC] }),
  ...fieldRows('length_penalty', { valid: [1, 0.5], invalid: [ABC, {}] }),
  ...fieldRows('stop_token_ids', {
    models: BOTH,
    valid: [[], [2], [0, 1], null],
    invalid: [[-1], [OOV], [ABC], ABC, [1.5]],
  }),
  ...fieldRows('include_stop_str_in_output', { valid: [true, false], invalid: [ABC, [true]] }),
  ...fieldRows('ignore_eos', { models: BOTH, valid: [true, false], invalid: [ABC, {}] }),
  ...fieldRows('min_tokens', { models: BOTH, valid: [0, 2, 3], invalid: [-1, 1.5, ABC] }),
  ...fieldRows('skip_special_tokens', { models: BOTH, valid: [true, false], invalid: [ABC] }),
  ...fieldRows('spaces_between_special_tokens', { valid: [true, false], invalid: [ABC] }),
  ...fieldRows('truncate_prompt_tokens', { models: BOTH, valid: [16, -1, null], invalid: [-2, ABC, 1.5] }),
  ...fieldRows('truncation_side', { valid: ['left', 'right'], invalid: ['middle', 5] }),
  ...fieldRows('prompt_logprobs', { valid: [0, 1], invalid: [-2, ABC] }),
  ...fieldRows('allowed_token_ids', {
    models: BOTH,
    valid: [[2, 5, 6, 7], null],
    invalid: [[], [-1], [OOV], ABC, [ABC]],
  }),
  ...fieldRows('bad_words', { models: BOTH, valid: [['hello'], []], invalid: [[''], ABC, [5]] }),
  ...fieldRows('thinking_token_budget', { valid: [-1, null], invalid: [-2, 1.5, true, ABC] }),
  {
    // Thinking budgets arrive with reasoning support (issue 7): refused until then.
    name: 'thinking_token_budget=16',
    patch: { thinking_token_budget: 16 },
    expect: ok(['thinking_token_budget']),
    models: ['tiny-qwen3'],
  },
  ...fieldRows('stream_interval', { valid: [1, 2], invalid: [0, -1, ABC] }),
  ...fieldRows('seed', { disputed: [[2 ** 62, 'within vLLM int64 but beyond JS safe integers']] }),
];

const template: CaseSpec[] = [
  ...fieldRows('echo', { valid: [true, false], invalid: [ABC] }),
  ...fieldRows('add_generation_prompt', { valid: [true, false], invalid: [ABC] }),
  ...fieldRows('continue_final_message', { valid: [false], invalid: [ABC] }),
  ...fieldRows('add_special_tokens', { valid: [true, false], invalid: [ABC] }),
  ...fieldRows('documents', {
    valid: [[{ title: 'Doc', text: 'Some text.' }], [], null],
    invalid: [ABC, [1]],
  }),
  ...fieldRows('chat_template', {
    valid: ['{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}assistant:'],
    invalid: [5, {}],
  }),
  {
    name: 'chat_template with a jinja syntax error',
    patch: { chat_template: '{% for m in messages %}{{ m.content }' },
    expect: bad(['chat_template', 'messages', null]),
  },
  ...fieldRows('chat_template_kwargs', {
    valid: [{}, { enable_thinking: false }, null],
    invalid: [ABC, [1]],
  }),
  ...fieldRows('mm_processor_kwargs', { valid: [{}, null], invalid: [ABC] }),
  ...fieldRows('mm_processor_kwargs', {
    disputed: [[{ num_crops: 4 }, 'rule 55: vLLM refuses non-empty mm_processor_kwargs unless trusted']],
  }),
  ...fieldRows('media_io_kwargs', { valid: [{}], invalid: [ABC] }),
  ...fieldRows('include_reasoning', { valid: [true, false], invalid: [ABC] }),
];

const bookkeeping: CaseSpec[] = [
  ...fieldRows('structured_outputs', {
    valid: [{ choice: ['yes', 'no'] }, { regex: '[a-z]+' }, { json: { type: 'object' } }],
    invalid: [ABC, {}, { choice: ['a'], regex: 'a+' }],
  }),
  ...fieldRows('priority', { valid: [0], invalid: [ABC, 1.5] }),
  ...fieldRows('priority', {
    disputed: [[5, 'rule 57: non-zero priority errors without priority scheduling']],
  }),
  ...fieldRows('request_id', { valid: ['req-123'], invalid: [5, {}] }),
  ...fieldRows('session_id', { valid: ['session-1'], invalid: [5] }),
  ...fieldRows('logits_processors', { valid: [[], null], invalid: [ABC] }),
  ...fieldRows('logits_processors', {
    disputed: [[['my_module.MyProcessor'], 'a qualified name that cannot be imported']],
  }),
  ...fieldRows('return_tokens_as_token_ids', { valid: [true, false], invalid: [ABC] }),
  {
    name: 'return_tokens_as_token_ids with logprobs',
    patch: { return_tokens_as_token_ids: true, logprobs: true },
    expect: ok(),
  },
  ...fieldRows('return_token_ids', { valid: [true, false], invalid: [ABC] }),
  ...fieldRows('cache_salt', {
    valid: ['c2FsdC1zYWx0LXNhbHQ', 'x'.repeat(128)],
    invalid: ['', 5, 'a/b', 'a@b', 'a\\b', 'a\u0000b', 'x'.repeat(129)],
  }),
  ...fieldRows('kv_transfer_params', { valid: [{}, null], invalid: [ABC] }),
  ...fieldRows('vllm_xargs', { valid: [{}, { key: 1, list: ['a', 2] }], invalid: [ABC, [1]] }),
  ...fieldRows('watermarking', { valid: [false], unsupported: [true], invalid: [ABC] }),
  ...fieldRows('repetition_detection', {
    valid: [null, { max_pattern_size: 4, min_pattern_size: 1, min_count: 3 }],
    invalid: [
      ABC,
      { max_pattern_size: 4, min_pattern_size: 1, min_count: 1 },
      { max_pattern_size: 2, min_pattern_size: 3, min_count: 2 },
    ],
  }),
  ...fieldRows('routed_experts_prompt_start', { valid: [0], invalid: [-1] }),
  ...fieldRows('return_token_offsets', { valid: [true, false], invalid: [ABC] }),
  ...fieldRows('return_prompt_text', { valid: [true, false], invalid: [ABC] }),
  ...fieldRows('return_mm_kwargs', { valid: [false], invalid: [ABC] }),
  ...fieldRows('ec_transfer_params', { valid: [{}], invalid: [ABC] }),
  // Older vLLM spellings (VP-old): newer vLLM ignores unknown keys, OpenAI refuses them.
  ...fieldRows('guided_json', { disputed: [[{ type: 'object' }, 'VP-old field; unknown to OpenAI']] }),
  ...fieldRows('guided_choice', { disputed: [[['a', 'b'], 'VP-old field; unknown to OpenAI']] }),
  ...fieldRows('best_of', { disputed: [[1, 'removed from vLLM chat; unknown to OpenAI']] }),
  ...fieldRows('parallel_tool_calls', { valid: [true, false, null], invalid: [ABC] }),
  ...fieldRows('logprob_token_ids', { invalid: [[], ABC] }),
  {
    name: 'logprob_token_ids=[5] with logprobs',
    patch: { logprob_token_ids: [5], logprobs: true },
    expect: either('logprob_token_ids', 'rule 52 ties it to logprobs as a count, which chat logprobs is not'),
  },
];

export function vllmFieldCases(): SweepCase[] {
  return [
    ...expandGroup({ group: 'vllm/sampling', models: ['tiny-qwen3'], cases: sampling }),
    ...expandGroup({ group: 'vllm/template', models: ['tiny-qwen3', 'tiny-smollm2'], cases: template }),
    ...expandGroup({ group: 'vllm/bookkeeping', models: ['tiny-qwen3'], cases: bookkeeping }),
  ];
}
