/**
 * docs/runtimes.md has one row per field of the two seed API documents (request and response
 * tables), each with a cell per runtime, and every field this adapter refuses says 400 on WebLLM.
 * The field lists are those of shared/seeds/000_… (OpenAI) and 004_… (vLLM), copied here because
 * the seeds live outside the repository.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { REFUSED_PARAMS } from './request/refusals.ts';

const REQUEST_FIELDS = [
  // 000 (OpenAI)
  ...['model', 'messages', 'temperature', 'top_p', 'n', 'stream', 'stream_options', 'stop', 'max_tokens'],
  ...['max_completion_tokens', 'presence_penalty', 'frequency_penalty', 'logit_bias', 'user', 'tools'],
  ...['tool_choice', 'response_format', 'seed', 'reasoning_effort', 'modalities', 'audio'],
  // 004 (vLLM), beyond those
  ...['logprobs', 'top_logprobs', 'include_reasoning', 'parallel_tool_calls', 'use_beam_search', 'top_k'],
  ...['min_p', 'repetition_penalty', 'length_penalty', 'stop_token_ids', 'include_stop_str_in_output'],
  ...['ignore_eos', 'min_tokens', 'skip_special_tokens', 'spaces_between_special_tokens'],
  ...['truncate_prompt_tokens', 'prompt_logprobs', 'allowed_token_ids', 'bad_words', 'echo'],
  ...['add_generation_prompt', 'continue_final_message', 'add_special_tokens', 'documents', 'chat_template'],
  ...['chat_template_kwargs', 'mm_processor_kwargs', 'structured_outputs', 'priority', 'request_id'],
  ...['logits_processors', 'return_tokens_as_token_ids', 'return_token_ids', 'cache_salt'],
  ...['kv_transfer_params', 'vllm_xargs'],
];

const RESPONSE_FIELDS = [
  ...['id', 'object', 'created', 'model', 'system_fingerprint', 'service_tier'],
  ...['choices[].index', 'choices[].finish_reason', 'choices[].stop_reason', 'choices[].token_ids'],
  'choices[].logprobs',
  ...['message.role', 'message.content', 'message.refusal', 'message.reasoning_content', 'message.reasoning'],
  ...['message.tool_calls', 'message.function_call', 'message.annotations', 'message.audio'],
  ...['message.name', 'message.tool_call_id'],
  ...['usage.prompt_tokens', 'usage.completion_tokens', 'usage.total_tokens'],
  ...['usage.prompt_tokens_details.cached_tokens', 'usage.prompt_tokens_details.text_tokens'],
  ...['usage.prompt_tokens_details.audio_tokens', 'usage.prompt_tokens_details.image_tokens'],
  ...['usage.completion_tokens_details.text_tokens', 'usage.completion_tokens_details.audio_tokens'],
  'usage.completion_tokens_details.reasoning_tokens',
  ...['prompt_logprobs', 'prompt_token_ids', 'kv_transfer_params'],
  ...['error.message', 'error.type', 'error.param', 'error.code'],
];

const doc = readFileSync(new URL('../../../docs/runtimes.md', import.meta.url), 'utf8');

/** Rows of the table under `## heading`: field names (a bare name continues the previous path) -> cells. */
function table(heading: string): { fields: string[]; cells: string[] }[] {
  const section = doc.split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.map((row) => {
    const cells = row
      .slice(1, -1)
      .split(' | ')
      .map((cell) => cell.trim());
    let prefix = '';
    const fields = cells[0].split(', ').map((name) => {
      const field = name.replaceAll('`', '');
      if (field.includes('.')) {
        prefix = field.slice(0, field.lastIndexOf('.') + 1);
        return field;
      }
      return prefix + field;
    });
    return { fields, cells: cells.slice(1) };
  });
}

describe('docs/runtimes.md', () => {
  for (const [heading, expected] of [
    ['Request fields', REQUEST_FIELDS],
    ['Response fields', RESPONSE_FIELDS],
  ] as const) {
    test(`${heading}: every seed field exactly once, a cell per runtime`, () => {
      const rows = table(heading);
      const listed = rows.flatMap((row) => row.fields);
      expect([...listed].sort()).toEqual([...expected].sort());
      for (const row of rows) {
        expect(row.cells, row.fields.join()).toHaveLength(3);
        expect(row.cells.every((cell) => cell.length > 0)).toBe(true);
      }
    });
  }

  test('every field the adapter refuses says 400 in the WebLLM column', () => {
    const rows = table('Request fields');
    for (const param of REFUSED_PARAMS) {
      const field = param.split('.')[0];
      const row = rows.find((r) => r.fields.includes(field));
      if (row) expect(row.cells[1], param).toContain('400');
      else expect(doc, param).toContain(`\`${param}\``);
    }
  });
});
