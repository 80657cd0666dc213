/**
 * Problems with a 200 SSE answer, per sse-notes.md: every chunk validates against
 * CreateChatCompletionStreamResponse, no error events, `data: [DONE]` last, each choice index opens with
 * role "assistant" and has exactly one finish_reason on its last chunk, usage only where asked for.
 */
import { validateAgainstSchema } from '../../packages/protocol/src/testing/schema.ts';
import { readSseEvents } from '../support/sse.ts';
import type { RequestFacts } from './request-facts.ts';
import type { Answer } from './send.ts';

interface ToolCallDelta {
  index: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}
interface StreamChoice {
  index: number;
  delta: {
    role?: string;
    content?: string | null;
    tool_calls?: ToolCallDelta[];
    reasoning_content?: unknown;
    reasoning?: unknown;
  };
  finish_reason: string | null;
  logprobs?: { content: unknown[] | null } | null;
}
interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: StreamChoice[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  error?: unknown;
}

export async function judgeStream(facts: RequestFacts, answer: Answer): Promise<string[]> {
  if (!answer.contentType.includes('text/event-stream'))
    return [`content-type ${answer.contentType}, not text/event-stream`];
  const events = await readSseEvents(new Response(answer.text));
  const problems: string[] = framingProblems(answer.text);
  const problem = (condition: boolean, text: string) => {
    if (!condition) problems.push(text);
  };
  problem(
    answer.cacheControl.includes('no-cache'),
    `cache-control is ${JSON.stringify(answer.cacheControl)}, not no-cache`,
  );
  problem(events.at(-1) === '[DONE]', `last event is ${String(events.at(-1)).slice(0, 100)}, not [DONE]`);
  problem(events.filter((e) => e === '[DONE]').length === 1, 'more than one [DONE]');
  problem(answer.text.endsWith('data: [DONE]\n\n'), 'stream does not end with "data: [DONE]\\n\\n"');

  const chunks: Chunk[] = [];
  for (const data of events.filter((e) => e !== '[DONE]')) {
    let chunk: Chunk;
    try {
      chunk = JSON.parse(data) as Chunk;
    } catch {
      problems.push(`event is not JSON: ${data.slice(0, 100)}`);
      continue;
    }
    if (chunk.error) {
      problems.push(`error event mid-stream: ${JSON.stringify(chunk.error).slice(0, 300)}`);
      continue;
    }
    const schema = validateAgainstSchema('CreateChatCompletionStreamResponse', chunk);
    if (schema.length > 0) {
      problems.push(`chunk ${chunks.length} schema: ${schema.join('; ')}`);
      continue;
    }
    chunks.push(chunk);
  }
  if (problems.length > 0) return problems;
  if (chunks.length === 0) return ['no chunks before [DONE]'];

  problem(new Set(chunks.map((c) => c.id)).size === 1, 'chunk ids differ');
  problem(
    chunks.every((c) => c.object === 'chat.completion.chunk'),
    'object is not chat.completion.chunk',
  );
  if (facts.model)
    problem(
      chunks.every((c) => c.model === facts.model),
      `model differs from ${facts.model}`,
    );

  const indices = new Set(chunks.flatMap((c) => c.choices.map((choice) => choice.index)));
  problem(
    indices.size === facts.n && [...indices].every((i) => i >= 0 && i < facts.n),
    `choice indices ${[...indices].join(',')} for n=${facts.n}`,
  );
  for (const index of indices) problems.push(...judgeChoice(facts, chunks, index));
  problems.push(...judgeUsage(facts, chunks));
  return problems;
}

function judgeChoice(facts: RequestFacts, chunks: Chunk[], index: number): string[] {
  const problems: string[] = [];
  const mine = chunks.flatMap((c) => c.choices.filter((choice) => choice.index === index));
  if (mine[0]?.delta.role !== 'assistant')
    problems.push(`choice ${index}: first delta has no role "assistant"`);
  const finishes = mine.filter((choice) => choice.finish_reason !== null);
  if (finishes.length !== 1) problems.push(`choice ${index}: ${finishes.length} finish_reason chunks`);
  else if (mine.at(-1)?.finish_reason === null)
    problems.push(`choice ${index}: finish_reason chunk is not its last`);
  const reason = finishes[0]?.finish_reason;
  if (facts.noToolCalls && reason && !['stop', 'length'].includes(reason))
    problems.push(`choice ${index}: finish_reason ${reason}`);
  problems.push(...toolCallProblems(facts, mine, index));
  if (
    !facts.includeReasoning &&
    mine.some((choice) => choice.delta.reasoning_content || choice.delta.reasoning)
  ) {
    problems.push(`choice ${index}: reasoning deltas with include_reasoning: false`);
  }

  const text = mine.map((choice) => choice.delta.content ?? '').join('');
  if (!facts.keepsStop && !facts.echo) {
    for (const stop of facts.stops) {
      if (stop !== '' && text.includes(stop))
        problems.push(`choice ${index}: content contains stop ${JSON.stringify(stop)}`);
    }
  }
  for (const choice of mine) {
    const hasText = typeof choice.delta.content === 'string' && choice.delta.content !== '';
    if (facts.logprobs && hasText && !Array.isArray(choice.logprobs?.content)) {
      problems.push(`choice ${index}: a content delta without logprobs.content`);
      break;
    }
    if (!facts.logprobs && choice.logprobs) {
      problems.push(`choice ${index}: logprobs without logprobs: true`);
      break;
    }
  }
  return problems;
}

/** sse-notes.md §3.3: index always, a function object always, id/type/name on a call's first delta. */
function toolCallProblems(facts: RequestFacts, mine: StreamChoice[], index: number): string[] {
  const deltas = mine.flatMap((choice) => choice.delta.tool_calls ?? []);
  if (deltas.length === 0) return [];
  if (facts.noToolCalls) return [`choice ${index}: tool_calls deltas though no tool may be called`];
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const delta of deltas) {
    if (!delta.function) problems.push(`choice ${index}: a tool_calls delta without a function object`);
    if (!seen.has(delta.index)) {
      seen.add(delta.index);
      if (!delta.id || delta.type !== 'function' || !delta.function?.name) {
        problems.push(`choice ${index}: tool call ${delta.index} starts without id, type or function.name`);
      }
    }
  }
  if (mine.at(-1)?.finish_reason !== 'tool_calls')
    problems.push(`choice ${index}: tool calls but finish_reason ${mine.at(-1)?.finish_reason}`);
  return problems;
}

function judgeUsage(facts: RequestFacts, chunks: Chunk[]): string[] {
  const problems: string[] = [];
  const last = chunks.at(-1)!;
  const body = facts.includeUsage ? chunks.slice(0, -1) : chunks;
  if (facts.includeUsage) {
    if (last.choices.length !== 0) problems.push('include_usage: last chunk has choices');
    const usage = last.usage;
    if (!usage) return [...problems, 'include_usage: last chunk has no usage'];
    if (usage.total_tokens !== usage.prompt_tokens + usage.completion_tokens)
      problems.push('usage does not add up');
    if (facts.limit !== undefined && usage.completion_tokens > facts.limit * facts.n) {
      problems.push(`completion_tokens ${usage.completion_tokens} > limit ${facts.limit} x n`);
    }
  }
  if (!facts.continuousUsage && body.some((c) => c.usage)) problems.push('usage on a content chunk');
  if (facts.continuousUsage && body.some((c) => c.choices.length > 0 && !c.usage)) {
    problems.push('continuous_usage_stats: a content chunk without usage');
  }
  return problems;
}

/** sse-notes.md §1 rules 1, 4, 5: each event is one `data: ` line (or comment lines), no `event:` lines. */
function framingProblems(text: string): string[] {
  const blocks = text.split('\n\n');
  if (blocks.at(-1) !== '') return ['the last event is not terminated by a blank line'];
  for (const block of blocks.slice(0, -1)) {
    const lines = block.split('\n');
    if (lines.every((line) => line.startsWith(':'))) continue;
    if (lines.length !== 1 || !lines[0].startsWith('data: '))
      return [`event is not a single data line: ${JSON.stringify(block.slice(0, 80))}`];
  }
  return [];
}
