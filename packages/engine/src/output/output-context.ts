/** What every chunk or completion of one request shares. */
import { buildUsage, type Usage } from '@cinder/protocol';
import type { MessageParserOptions } from './message-parser.ts';

export interface OutputContext {
  readonly id: string;
  readonly created: number;
  readonly model: string;
  readonly systemFingerprint: string;
  readonly promptTokenIds: readonly number[];
  readonly n: number;
  readonly logprobs: boolean;
  readonly returnTokenIds: boolean;
  readonly includeUsage: boolean;
  readonly continuousUsage: boolean;
  /** vLLM `echo`: the final assistant message's text, prepended to every choice's content. */
  readonly echo: string;
  /** How each choice's text splits into reasoning, content and tool calls; null: all content. */
  readonly parser?: MessageParserOptions | null;
  /** vLLM `include_reasoning` (default true): false leaves reasoning text out. */
  readonly includeReasoning?: boolean;
  /** Deprecated `functions` API: report a call as `function_call` (finish_reason 'function_call'). */
  readonly legacyFunctionCall?: boolean;
}

export function usageOf(
  context: OutputContext,
  completionTokens: number,
  cachedTokens: number,
  reasoningTokens = 0,
): Usage {
  return buildUsage({
    promptTokens: context.promptTokenIds.length,
    completionTokens,
    cachedTokens,
    reasoningTokens,
  });
}
