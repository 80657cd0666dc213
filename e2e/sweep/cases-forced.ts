/**
 * Outputs steered with logit_bias / allowed_token_ids into the tokens that output parsers care about
 * (Qwen3's <think>, </think>, <tool_call>, </tool_call>, <|im_end|>), so reasoning and tool-call parsing
 * and their streaming hold-back are exercised by a random-weight model. All of these are valid requests.
 */
import { type CaseSpec, expandGroup, type Json, ok, type SweepCase } from './case.ts';

const THINK = 151667;
const END_THINK = 151668;
const TOOL_CALL = 151657;
const END_TOOL_CALL = 151658;
const IM_END = 151645;
/** `{"`, `":`, `"}`, `name`, `arguments`, `Hello`, newline: enough to look like a tool call now and then. */
const JSONISH = [4913, 788, 9207, 606, 16370, 9707, 198];

const tools: Json = [
  { type: 'function', function: { name: 'name', parameters: { type: 'object', properties: {} } } },
];
const mix = [THINK, END_THINK, TOOL_CALL, END_TOOL_CALL, ...JSONISH];

const rows: CaseSpec[] = [
  { name: 'forced <think> x8', patch: { logit_bias: { [THINK]: 100 }, max_tokens: 8 }, expect: ok() },
  { name: 'forced </think> x8', patch: { logit_bias: { [END_THINK]: 100 }, max_tokens: 8 }, expect: ok() },
  {
    name: 'forced <tool_call> x8 with tools',
    patch: { tools, logit_bias: { [TOOL_CALL]: 100 }, max_tokens: 8 },
    expect: ok(),
  },
  {
    name: 'forced <tool_call> x8 without tools',
    patch: { logit_bias: { [TOOL_CALL]: 100 }, max_tokens: 8 },
    expect: ok(),
  },
  { name: 'forced EOS', patch: { logit_bias: { [IM_END]: 100 } }, expect: ok() },
  {
    name: 'forced EOS held off by min_tokens',
    patch: { logit_bias: { [IM_END]: 100 }, min_tokens: 2 },
    expect: ok(),
  },
  {
    name: 'forced EOS, skip_special_tokens=false',
    patch: { logit_bias: { [IM_END]: 100 }, skip_special_tokens: false },
    expect: ok(),
  },
  ...[1, 2, 3].flatMap((seed): CaseSpec[] => [
    {
      name: `tag soup seed ${seed} with tools`,
      patch: { tools, allowed_token_ids: mix, seed, max_tokens: 8 },
      expect: ok(),
    },
    {
      name: `tag soup seed ${seed} with tool_choice none`,
      patch: { tools, tool_choice: 'none', allowed_token_ids: mix, seed, max_tokens: 8 },
      expect: ok(),
    },
    {
      name: `tag soup seed ${seed} without tools, include_reasoning=false`,
      patch: { allowed_token_ids: mix, seed, max_tokens: 8, include_reasoning: false },
      expect: ok(),
    },
  ]),
];

export function forcedCases(): SweepCase[] {
  return expandGroup({ group: 'forced-tokens', models: ['tiny-qwen3'], cases: rows });
}
