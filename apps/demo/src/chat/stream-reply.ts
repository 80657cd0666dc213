/**
 * One reply, streamed through the official openai SDK from `/v1/chat/completions` (answered on this
 * device), timed: time to first token, and decode speed from the usage the stream ends with.
 */
import type OpenAI from 'openai';
import type { ReplyStats } from './conversations.ts';

export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ReplyRequest {
  readonly model: string;
  readonly messages: readonly ChatTurn[];
  readonly temperature: number;
  readonly topP: number;
  readonly maxTokens: number;
  /** Merged into the request body last (parameters the form has no field for). */
  readonly extra: Record<string, unknown>;
  readonly signal: AbortSignal;
  /** Called with the whole text so far after every chunk that adds to it. */
  readonly onText: (content: string, reasoning: string) => void;
}

export interface Reply {
  readonly content: string;
  readonly reasoning: string;
  readonly finish: 'stop' | 'length' | 'stopped';
  readonly stats: ReplyStats | null;
}

/** A delta as our engine may send it: vLLM-style reasoning beside the content. */
interface Delta {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
}

export async function streamReply(openai: OpenAI, request: ReplyRequest): Promise<Reply> {
  const { signal } = request;
  const started = performance.now();
  let first = 0;
  let last = 0;
  let content = '';
  let reasoning = '';
  let chunks = 0;
  let usageTokens: number | null = null;
  let finish: string | null = null;

  try {
    const stream = await openai.chat.completions.create(
      {
        model: request.model,
        messages: request.messages.map((turn) => ({ role: turn.role, content: turn.content })),
        temperature: request.temperature,
        top_p: request.topP,
        max_tokens: request.maxTokens,
        ...request.extra,
        stream: true,
        stream_options: { include_usage: true },
      },
      { signal },
    );
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      const delta = (choice?.delta ?? {}) as Delta;
      const text = delta.content ?? '';
      const thought = delta.reasoning_content ?? delta.reasoning ?? '';
      if (text || thought) {
        last = performance.now();
        if (!first) first = last;
        chunks++;
        content += text;
        reasoning += thought;
        request.onText(content, reasoning);
      }
      if (choice?.finish_reason) finish = choice.finish_reason;
      if (chunk.usage) usageTokens = chunk.usage.completion_tokens;
    }
  } catch (cause) {
    if (!signal.aborted) throw cause;
  }

  const tokens = usageTokens ?? chunks;
  const decodeSeconds = (last - first) / 1000;
  const stats: ReplyStats | null = first
    ? {
        ttftMs: first - started,
        tokens,
        tokensPerSecond: tokens > 1 && decodeSeconds > 0 ? (tokens - 1) / decodeSeconds : null,
      }
    : null;
  return {
    content,
    reasoning,
    finish: signal.aborted ? 'stopped' : finish === 'length' ? 'length' : 'stop',
    stats,
  };
}
