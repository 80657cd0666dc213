/**
 * One choice read through a MessageParser, for both output paths: stream deltas (reasoning,
 * content and tool-call fragments, sse-notes.md §3.3) and the whole message. Tool calls get ids
 * and per-choice indices 0, 1, ...; a choice that called a tool and stopped finishes with
 * `tool_calls` (`function_call` for the deprecated functions API).
 */
import {
  type ChunkDelta,
  type FinishReason,
  newToolCallId,
  type ToolCall,
  toolCallArguments,
  toolCallStart,
} from '@cinder/protocol';
import type { ChoiceDelta } from '../generate/choice-state.ts';
import { MessageParser, type MessageParts } from './message-parser.ts';
import type { OutputContext } from './output-context.ts';

export class ParsedChoice {
  private readonly parser: MessageParser;
  private readonly legacy: boolean;
  private readonly includeReasoning: boolean;
  readonly toolCalls: ToolCall[] = [];
  reasoning = '';
  content = '';

  constructor(context: OutputContext) {
    this.parser = new MessageParser(context.parser!);
    this.legacy = context.legacyFunctionCall === true;
    this.includeReasoning = context.includeReasoning !== false;
  }

  get reasoningTokens(): number {
    return this.parser.reasoningTokens;
  }

  /** Read one step; returns what it added, already shaped as stream deltas. */
  read(delta: ChoiceDelta): ChunkDelta[] {
    const parts = this.parser.read(delta.text, delta.tokenIds.length, delta.finishReason !== null);
    return this.add(parts);
  }

  finishReason(reason: FinishReason): FinishReason {
    if (reason !== 'stop' || this.toolCalls.length === 0) return reason;
    return this.legacy ? 'function_call' : 'tool_calls';
  }

  private add(parts: MessageParts): ChunkDelta[] {
    const deltas: ChunkDelta[] = [];
    if (parts.reasoning !== '' && this.includeReasoning) {
      this.reasoning += parts.reasoning;
      deltas.push({ reasoning_content: parts.reasoning, reasoning: parts.reasoning });
    }
    if (parts.content !== '') {
      this.content += parts.content;
      deltas.push({ content: parts.content });
    }
    for (const call of parts.calls) {
      const index = this.toolCalls.length;
      const id = newToolCallId();
      this.toolCalls.push({ id, type: 'function', function: { name: call.name, arguments: call.arguments } });
      if (this.legacy) {
        deltas.push({ function_call: { name: call.name, arguments: '' } });
        deltas.push({ function_call: { arguments: call.arguments } });
      } else {
        deltas.push({ tool_calls: [toolCallStart(index, id, call.name)] });
        deltas.push({ tool_calls: [toolCallArguments(index, call.arguments)] });
      }
    }
    return deltas;
  }
}
