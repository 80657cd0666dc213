/**
 * Combinations: the cross-field rules of vllm-rules.md §3 (rule numbers in the names), the
 * `stream_options` rule both APIs share, and valid mixes of fields that must work together.
 */
import { bad, type CaseSpec, either, expandGroup, type Json, ok, type SweepCase } from './case.ts';

const assistantLast = [
  { role: 'user', content: 'Write a word.' },
  { role: 'assistant', content: 'The word is' },
];

const streamOptions: CaseSpec[] = [
  {
    name: 'rule 6: include_usage without stream',
    patch: { stream_options: { include_usage: true } },
    expect: bad('stream_options'),
  },
  {
    name: 'rule 6: include_usage with stream=false',
    patch: { stream: false, stream_options: { include_usage: true } },
    expect: bad('stream_options'),
  },
  {
    name: 'rule 6: {include_usage: null} with stream=false',
    patch: { stream: false, stream_options: { include_usage: null } },
    expect: bad('stream_options'),
  },
  {
    name: 'rule 6: continuous_usage_stats without stream',
    patch: { stream_options: { continuous_usage_stats: true } },
    expect: bad('stream_options'),
  },
  {
    name: 'stream_options=null with stream=false',
    patch: { stream: false, stream_options: null },
    expect: ok(),
    oas: true,
  },
  {
    name: 'stream_options={} with stream=false',
    patch: { stream: false, stream_options: {} },
    expect: either(
      'stream_options',
      'vLLM only rejects truthy stream_options; OpenAI: "only set this when stream: true"',
    ),
  },
  ...(
    [{ include_usage: true }, { include_usage: false }, {}, null, { include_obfuscation: false }] as Json[]
  ).map(
    (value): CaseSpec => ({
      name: `stream with stream_options=${JSON.stringify(value)}`,
      patch: { stream: true, stream_options: value },
      expect: ok(),
      oas: true,
    }),
  ),
  ...(
    [{ continuous_usage_stats: true }, { include_usage: true, continuous_usage_stats: true }] as Json[]
  ).map(
    (value): CaseSpec => ({
      name: `stream with stream_options=${JSON.stringify(value)}`,
      patch: { stream: true, stream_options: value },
      expect: ok(),
    }),
  ),
  ...(['abc', [true], { include_usage: 'abc' }, { include_usage: 1 }] as Json[]).map(
    (value): CaseSpec => ({
      name: `stream with stream_options=${JSON.stringify(value)}`,
      patch: { stream: true, stream_options: value },
      expect: bad('stream_options'),
      oas: true,
    }),
  ),
];

const logprobRules: CaseSpec[] = [
  {
    name: 'rule 7: logprob_token_ids=[]',
    patch: { logprobs: true, logprob_token_ids: [] },
    expect: bad('logprob_token_ids'),
  },
  {
    name: 'rule 8: logprob_token_ids with beam search',
    patch: { logprobs: true, logprob_token_ids: [5], use_beam_search: true },
    expect: bad(['logprob_token_ids', 'use_beam_search']),
  },
  {
    name: 'rule 9: logprob_token_ids without logprobs',
    patch: { logprob_token_ids: [5] },
    expect: bad(['logprob_token_ids', 'logprobs']),
  },
  {
    name: 'rule 11: prompt_logprobs=1 with stream',
    patch: { stream: true, prompt_logprobs: 1 },
    expect: bad('prompt_logprobs'),
  },
  {
    name: 'rule 11: prompt_logprobs=-1 with stream',
    patch: { stream: true, prompt_logprobs: -1 },
    expect: bad('prompt_logprobs'),
  },
  {
    name: 'rule 11: prompt_logprobs=0 with stream',
    patch: { stream: true, prompt_logprobs: 0 },
    expect: ok(['prompt_logprobs']),
  },
  {
    name: 'rule 14: top_logprobs=2 without logprobs',
    patch: { top_logprobs: 2 },
    expect: bad(['top_logprobs', 'logprobs']),
  },
  {
    name: 'rule 14: top_logprobs=2 with logprobs=false',
    patch: { logprobs: false, top_logprobs: 2 },
    expect: bad(['top_logprobs', 'logprobs']),
  },
  {
    name: 'rule 14: top_logprobs=0 without logprobs',
    patch: { top_logprobs: 0 },
    expect: either('top_logprobs', 'vLLM accepts top_logprobs 0 without logprobs; OpenAI ambiguous'),
  },
  {
    name: 'logprobs with top_logprobs=3, n=2',
    patch: { logprobs: true, top_logprobs: 3, n: 2 },
    expect: ok(),
    oas: true,
  },
  {
    name: 'logprobs with return_tokens_as_token_ids and top_logprobs',
    patch: { logprobs: true, top_logprobs: 2, return_tokens_as_token_ids: true },
    expect: ok(),
  },
];

const samplingRules: CaseSpec[] = [
  {
    name: 'rule 17: structured_outputs with a named tool_choice',
    patch: {
      structured_outputs: { choice: ['a', 'b'] },
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: {} } } }],
      tool_choice: { type: 'function', function: { name: 'f' } },
    },
    expect: bad(['structured_outputs', 'tool_choice']),
  },
  {
    name: 'rule 28: continue_final_message and add_generation_prompt both true',
    patch: { messages: assistantLast, continue_final_message: true, add_generation_prompt: true },
    expect: bad(['continue_final_message', 'add_generation_prompt']),
  },
  {
    name: 'rule 28: continue_final_message with add_generation_prompt=false',
    patch: { messages: assistantLast, continue_final_message: true, add_generation_prompt: false },
    expect: ok(),
  },
  {
    name: 'rule 28: continue_final_message with add_generation_prompt left at its default',
    patch: { messages: assistantLast, continue_final_message: true },
    expect: ok(),
  },
  {
    name: 'continue_final_message when the last message is the user',
    patch: { continue_final_message: true, add_generation_prompt: false },
    expect: either(['continue_final_message', 'messages'], 'nothing to continue: templates may refuse'),
  },
  {
    name: 'rule 38: n=2 with temperature=0',
    patch: { n: 2, temperature: 0 },
    expect: either('n', 'vLLM refuses n>1 with greedy sampling; OpenAI accepts'),
  },
  {
    name: 'rule 47: min_tokens > max_tokens',
    patch: { min_tokens: 10, max_tokens: 4 },
    expect: bad(['min_tokens', 'max_tokens']),
  },
  {
    name: 'rule 47: min_tokens > max_completion_tokens',
    patch: { min_tokens: 6, max_tokens: undefined, max_completion_tokens: 3 },
    expect: bad(['min_tokens', 'max_completion_tokens']),
  },
  {
    name: 'min_tokens = max_tokens with ignore_eos',
    patch: { min_tokens: 4, max_tokens: 4, ignore_eos: true },
    expect: ok(),
  },
  { name: 'ignore_eos with max_tokens=8', patch: { ignore_eos: true, max_tokens: 8 }, expect: ok() },
  {
    name: 'stop with include_stop_str_in_output',
    patch: { stop: ['e', 'a'], include_stop_str_in_output: true },
    expect: ok(),
  },
  {
    name: 'n=3 with seed and temperature',
    patch: { n: 3, seed: 1234, temperature: 1.2 },
    expect: ok(),
    oas: true,
  },
  {
    name: 'temperature=0 with top_p, top_k and min_p',
    patch: { temperature: 0, top_p: 0.5, top_k: 3, min_p: 0.2 },
    expect: ok(),
  },
  {
    name: 'every penalty at once',
    patch: { presence_penalty: 1, frequency_penalty: -1, repetition_penalty: 1.3, logit_bias: { '5': 3 } },
    expect: ok(),
  },
  {
    name: 'allowed_token_ids with logit_bias',
    patch: { allowed_token_ids: [3, 4, 5], logit_bias: { '4': 100 } },
    expect: ok(),
  },
  {
    name: 'stop_token_ids with min_tokens',
    patch: { stop_token_ids: [2, 3], min_tokens: 2, ignore_eos: false },
    expect: ok(),
  },
  { name: 'bad_words with stop', patch: { bad_words: ['the', 'a'], stop: 'x' }, expect: ok() },
  { name: 'echo with n=2', patch: { echo: true, n: 2 }, expect: ok() },
  {
    name: 'echo with continue_final_message',
    patch: {
      echo: true,
      messages: assistantLast,
      continue_final_message: true,
      add_generation_prompt: false,
    },
    expect: ok(),
  },
];

export function ruleCases(): SweepCase[] {
  return [
    ...expandGroup({ group: 'rules/stream_options', models: ['tiny-smollm2'], cases: streamOptions }),
    ...expandGroup({ group: 'rules/logprobs', models: ['tiny-qwen3', 'tiny-smollm2'], cases: logprobRules }),
    ...expandGroup({ group: 'rules/sampling', models: ['tiny-smollm2', 'tiny-qwen3'], cases: samplingRules }),
  ];
}
