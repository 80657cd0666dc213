/**
 * One choice's generated text, as it streams, split into the parts of an assistant message:
 * reasoning (a thinking model's `<think>` block), content, and tool calls (in the model family's
 * format). Reasoning is split off first; the tool parser sees only the answer.
 *
 * With tools, blank text next to calls is not content: whitespace is held until more text follows,
 * and dropped if a call comes (or came) instead, so a call-only answer has no content at all.
 */
import type { ReasoningSetup } from '../reasoning/reasoning-setup.ts';
import { type SplitText, ThinkSplitter } from '../reasoning/think-splitter.ts';
import type {
  ParsedToolCall,
  ToolCallFormat,
  ToolCallParser,
  ToolOutputPiece,
} from '../tools/tool-format.ts';

export interface MessageParts {
  readonly reasoning: string;
  readonly content: string;
  readonly calls: readonly ParsedToolCall[];
}

export interface MessageParserOptions {
  /** Set for a thinking model. */
  readonly reasoning: ReasoningSetup | null;
  /** Set when the output is read for tool calls. */
  readonly toolFormat: ToolCallFormat | null;
  /** Calls past this many are dropped (parallel_tool_calls: false keeps one). */
  readonly maxCalls: number;
}

export class MessageParser {
  private readonly splitter: ThinkSplitter | null;
  private readonly tools: ToolCallParser | null;
  private heldSpace = '';
  private calls = 0;
  /** Tokens read (partly) inside the reasoning block, its tags included. */
  reasoningTokens = 0;

  constructor(private readonly options: MessageParserOptions) {
    this.splitter = options.reasoning ? new ThinkSplitter(options.reasoning.startsInReasoning) : null;
    this.tools = options.toolFormat ? options.toolFormat.createParser() : null;
  }

  get inReasoning(): boolean {
    return this.splitter?.inReasoning ?? false;
  }

  /** One step's text and its token count; `last` ends the output (held text is released). */
  read(text: string, tokens: number, last: boolean): MessageParts {
    const before = this.inReasoning;
    const parts = this.push(text);
    if (before || this.inReasoning || parts.reasoning !== '') this.reasoningTokens += tokens;
    if (!last) return parts;
    const rest = this.finish();
    return {
      reasoning: parts.reasoning + rest.reasoning,
      content: parts.content + rest.content,
      calls: [...parts.calls, ...rest.calls],
    };
  }

  push(text: string): MessageParts {
    const split = this.splitter ? this.splitter.push(text) : { reasoning: '', content: text };
    return this.route(split, false);
  }

  finish(): MessageParts {
    const split = this.splitter ? this.splitter.finish() : { reasoning: '', content: '' };
    return this.route(split, true);
  }

  private route(split: SplitText, final: boolean): MessageParts {
    if (!this.tools) return { reasoning: split.reasoning, content: split.content, calls: [] };
    const pieces: ToolOutputPiece[] = split.content === '' ? [] : this.tools.push(split.content);
    if (final) pieces.push(...this.tools.finish());
    let content = '';
    const calls: ParsedToolCall[] = [];
    for (const piece of pieces) {
      if (piece.kind === 'call') {
        this.heldSpace = '';
        if (this.calls < this.options.maxCalls) calls.push(piece.call);
        this.calls++;
        continue;
      }
      const text = this.heldSpace + piece.text;
      const trailing = /\s*$/.exec(text)?.[0] ?? '';
      content += text.slice(0, text.length - trailing.length);
      this.heldSpace = trailing;
    }
    if (final) {
      if (this.calls === 0) content += this.heldSpace;
      this.heldSpace = '';
    }
    return { reasoning: split.reasoning, content, calls };
  }
}
