/**
 * A minimal client for the semantic probes: a completion as plain data, and a stream folded into the
 * same per-choice shape (`Outcome`) so the two can be compared field by field.
 */
import { readSseEvents } from '../support/sse.ts';
import { CHAT_PATH, type JsonObject } from './case.ts';
import { type Answer, send } from './send.ts';

export interface TopLogprob {
  token: string;
  logprob: number;
  bytes: number[] | null;
}
export interface TokenLogprob extends TopLogprob {
  top_logprobs: TopLogprob[];
}
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}
interface ToolCall {
  id?: string;
  function?: { name?: string; arguments?: string };
}
export interface Choice {
  index: number;
  finish_reason: string;
  message: {
    content: string | null;
    reasoning_content?: string | null;
    reasoning?: string | null;
    tool_calls?: ToolCall[];
  };
  logprobs: { content: TokenLogprob[] | null } | null;
  /** vLLM `return_token_ids`. */
  token_ids?: number[];
}
export interface Completion {
  choices: Choice[];
  usage: Usage;
  prompt_token_ids?: number[];
}

/** What one choice said, however it was delivered. */
export interface Outcome {
  content: string;
  reasoning: string;
  toolCalls: { name: string; arguments: string }[];
  finish: string | null;
  logprobTokens: string[];
}
export interface Streamed {
  choices: Outcome[];
  usage: Usage | null;
}

export interface ChatClient {
  /** The raw answer, whatever its status. */
  post(body: JsonObject): Promise<Answer>;
  complete(body: JsonObject): Promise<Completion>;
  stream(body: JsonObject): Promise<Streamed>;
}

export function outcomeOf(choice: Choice): Outcome {
  const m = choice.message;
  return {
    content: m.content ?? '',
    reasoning: m.reasoning_content ?? m.reasoning ?? '',
    toolCalls: (m.tool_calls ?? []).map((c) => ({
      name: c.function?.name ?? '',
      arguments: c.function?.arguments ?? '',
    })),
    finish: choice.finish_reason,
    logprobTokens: (choice.logprobs?.content ?? []).map((entry) => entry.token),
  };
}

interface StreamChunk {
  choices: {
    index: number;
    delta: {
      content?: string | null;
      reasoning_content?: string | null;
      reasoning?: string | null;
      tool_calls?: (ToolCall & { index: number })[];
    };
    finish_reason: string | null;
    logprobs?: { content: TokenLogprob[] | null } | null;
  }[];
  usage?: Usage | null;
}

function fold(events: string[]): Streamed {
  const out: Streamed = { choices: [], usage: null };
  for (const data of events) {
    if (data === '[DONE]') break;
    const chunk = JSON.parse(data) as StreamChunk;
    if (chunk.usage) out.usage = chunk.usage;
    for (const choice of chunk.choices) {
      out.choices[choice.index] ??= {
        content: '',
        reasoning: '',
        toolCalls: [],
        finish: null,
        logprobTokens: [],
      };
      const o = out.choices[choice.index];
      const d = choice.delta;
      o.content += d.content ?? '';
      o.reasoning += d.reasoning_content ?? d.reasoning ?? '';
      for (const call of d.tool_calls ?? []) {
        o.toolCalls[call.index] ??= { name: '', arguments: '' };
        o.toolCalls[call.index].name += call.function?.name ?? '';
        o.toolCalls[call.index].arguments += call.function?.arguments ?? '';
      }
      o.logprobTokens.push(...(choice.logprobs?.content ?? []).map((entry) => entry.token));
      if (choice.finish_reason) o.finish = choice.finish_reason;
    }
  }
  return out;
}

export function chatClient(baseUrl: string, timeoutMs: number): ChatClient {
  const post = (body: JsonObject) => {
    const request = {
      method: 'POST',
      path: CHAT_PATH,
      contentType: 'application/json',
      body: JSON.stringify(body),
    };
    return send(baseUrl, request, timeoutMs);
  };
  const ok = async (body: JsonObject) => {
    const answer = await post(body);
    if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text.slice(0, 300)}`);
    return answer.text;
  };
  return {
    post,
    complete: async (body) => JSON.parse(await ok(body)) as Completion,
    stream: async (body) => fold(await readSseEvents(new Response(await ok({ ...body, stream: true })))),
  };
}
