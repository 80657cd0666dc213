/**
 * Problems with a 200 JSON chat completion: schema (CreateChatCompletionResponse) plus what the request
 * promised (choice count, token limits, stop strings, logprobs, vLLM's ignore_eos/min_tokens/truncation).
 */
import { validateAgainstSchema } from '../../packages/protocol/src/testing/schema.ts';
import type { RequestFacts } from './request-facts.ts';
import type { Answer } from './send.ts';

interface TokenLogprob {
  token: string;
  top_logprobs: { token: string }[];
}
interface Choice {
  index: number;
  finish_reason: string;
  message: {
    role: string;
    content: string | null;
    tool_calls?: unknown[];
    reasoning_content?: unknown;
    reasoning?: unknown;
  };
  logprobs: { content: TokenLogprob[] | null } | null;
  token_ids?: unknown;
}
interface Completion {
  object: string;
  model: string;
  choices: Choice[];
  usage: {
    prompt_tokens: number;
    completion_tokens: number;
    total_tokens: number;
    prompt_tokens_details?: { cached_tokens?: number } | null;
  };
  prompt_token_ids?: unknown;
  prompt_logprobs?: unknown;
}

export function judgeJson(facts: RequestFacts, answer: Answer): string[] {
  if (!answer.contentType.includes('application/json'))
    return [`content-type ${answer.contentType}, not JSON`];
  let body: Completion;
  try {
    body = JSON.parse(answer.text) as Completion;
  } catch {
    return [`body is not JSON: ${answer.text.slice(0, 200)}`];
  }
  const schema = validateAgainstSchema('CreateChatCompletionResponse', body);
  if (schema.length > 0) return schema.map((line) => `schema: ${line}`);

  const problems: string[] = [];
  const problem = (condition: boolean, text: string) => {
    if (!condition) problems.push(text);
  };
  problem(body.object === 'chat.completion', `object is ${body.object}`);
  if (facts.model) problem(body.model === facts.model, `model is ${body.model}, asked ${facts.model}`);
  problem(body.choices.length === facts.n, `${body.choices.length} choices for n=${facts.n}`);
  for (const [i, choice] of body.choices.entries())
    problem(choice.index === i, `choices[${i}].index is ${choice.index}`);

  const usage = body.usage;
  problem(
    usage.total_tokens === usage.prompt_tokens + usage.completion_tokens,
    `usage does not add up: ${JSON.stringify(usage)}`,
  );
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  problem(
    cached >= 0 && cached <= usage.prompt_tokens,
    `cached_tokens ${cached} of ${usage.prompt_tokens} prompt tokens`,
  );
  if (facts.limit !== undefined) {
    problem(
      usage.completion_tokens <= facts.limit * facts.n,
      `completion_tokens ${usage.completion_tokens} > limit ${facts.limit} x n`,
    );
  }
  if (facts.truncatePrompt !== undefined && facts.truncatePrompt > 0) {
    problem(
      usage.prompt_tokens <= facts.truncatePrompt,
      `prompt_tokens ${usage.prompt_tokens} > truncate_prompt_tokens`,
    );
  }
  if (facts.n === 1 && facts.limit !== undefined) {
    const choice = body.choices[0];
    if (choice?.finish_reason === 'length') {
      problem(
        usage.completion_tokens === facts.limit,
        `finish_reason length after ${usage.completion_tokens}/${facts.limit} tokens`,
      );
    }
    if (facts.ignoreEos && facts.stops.length === 0 && !facts.hasStopTokenIds) {
      problem(
        usage.completion_tokens === facts.limit && choice?.finish_reason === 'length',
        `ignore_eos: ${usage.completion_tokens} tokens, finish ${choice?.finish_reason}, want ${facts.limit} and length`,
      );
    }
    const floor = Math.min(facts.minTokens, facts.limit);
    problem(
      usage.completion_tokens >= floor,
      `min_tokens ${facts.minTokens}: only ${usage.completion_tokens} tokens`,
    );
  }

  for (const choice of body.choices) {
    const where = `choices[${choice.index}]`;
    const calls = choice.message.tool_calls ?? [];
    if (facts.noToolCalls) {
      problem(
        ['stop', 'length'].includes(choice.finish_reason),
        `${where}.finish_reason ${choice.finish_reason}`,
      );
      problem(calls.length === 0, `${where} has tool_calls though no tool may be called`);
    } else if (calls.length > 0) {
      problem(
        choice.finish_reason === 'tool_calls',
        `${where} has tool_calls but finish_reason ${choice.finish_reason}`,
      );
    }
    if (!facts.includeReasoning) {
      const { reasoning_content: rc, reasoning } = choice.message;
      problem(!rc && !reasoning, `${where} carries reasoning with include_reasoning: false`);
    }
    const content = choice.message.content ?? '';
    if (!facts.keepsStop && !facts.echo) {
      for (const stop of facts.stops)
        problem(
          stop === '' || !content.includes(stop),
          `${where} content contains stop ${JSON.stringify(stop)}`,
        );
    }
    problems.push(...judgeLogprobs(facts, choice, where));
    if (facts.returnTokenIds)
      problem(Array.isArray(choice.token_ids), `${where}.token_ids missing with return_token_ids`);
  }
  if (facts.returnTokenIds)
    problem(Array.isArray(body.prompt_token_ids), 'prompt_token_ids missing with return_token_ids');
  if (facts.promptLogprobs !== undefined) problems.push(...judgePromptLogprobs(facts.promptLogprobs, body));
  return problems;
}

function judgeLogprobs(facts: RequestFacts, choice: Choice, where: string): string[] {
  if (!facts.logprobs)
    return choice.logprobs === null ? [] : [`${where}.logprobs is not null without logprobs`];
  const content = choice.logprobs?.content;
  if (!Array.isArray(content)) return [`${where}.logprobs.content is not an array with logprobs: true`];
  const problems: string[] = [];
  for (const entry of content) {
    if (entry.top_logprobs.length > facts.topLogprobs) {
      problems.push(`${where}: ${entry.top_logprobs.length} top_logprobs, asked ${facts.topLogprobs}`);
      break;
    }
    if (facts.tokensAsIds && !/^token_id:\d+$/.test(entry.token)) {
      problems.push(`${where}: token ${JSON.stringify(entry.token)} with return_tokens_as_token_ids`);
      break;
    }
  }
  return problems;
}

/** Seed 004: `prompt_logprobs: (object | null)[]`, vLLM layout: one entry per prompt token, the first null. */
function judgePromptLogprobs(k: number, body: Completion): string[] {
  const entries = body.prompt_logprobs;
  if (!Array.isArray(entries))
    return [`prompt_logprobs=${k} but the answer has prompt_logprobs ${JSON.stringify(entries)}`];
  const problems: string[] = [];
  if (entries.length !== body.usage.prompt_tokens) {
    problems.push(`${entries.length} prompt_logprobs for ${body.usage.prompt_tokens} prompt tokens`);
  }
  if (entries[0] !== null) problems.push('prompt_logprobs[0] is not null');
  for (const [i, entry] of entries.entries()) {
    if (i === 0) continue;
    const size = entry && typeof entry === 'object' ? Object.keys(entry).length : -1;
    if (size < 1 || size > k + 1) {
      problems.push(`prompt_logprobs[${i}] has ${size} entries for prompt_logprobs=${k}`);
      break;
    }
  }
  return problems;
}
