/**
 * A tool-call format: how one model family writes function calls in its output, how to read them
 * back (a streaming parser), and how to force them (a structural-tag grammar for tool_choice
 * "required" or a named function). Formats live in ./formats/, one file each, listed in registry.ts.
 */
import type { FunctionDefinition } from '@cinder/protocol';
import type { TagFormat } from '../structured/constraint.ts';

/** A call read from the output. `arguments` is a JSON object, serialized. */
export interface ParsedToolCall {
  readonly name: string;
  readonly arguments: string;
}

/** What a piece of output turned out to be: text for the user, or a complete call. */
export type ToolOutputPiece =
  | { readonly kind: 'content'; readonly text: string }
  | { readonly kind: 'call'; readonly call: ParsedToolCall };

/**
 * Reads one choice's output as it streams. Text that may still turn out to be (part of) a call is
 * held back; a call is reported once it is complete. Anything malformed comes back as content.
 */
export interface ToolCallParser {
  push(text: string): ToolOutputPiece[];
  /** The output ended: release what was held; an unfinished or broken call becomes content. */
  finish(): ToolOutputPiece[];
}

export interface CallGrammarOptions {
  /** False: exactly one call. */
  readonly parallel: boolean;
}

export interface ToolCallFormat {
  /** `hermes`, `llama3_json`, `mistral`, ... */
  readonly name: string;
  /** True when a chat template writes tool calls this way. */
  detect(template: string): boolean;
  /** Strings that mark calls; when one is a special token, special tokens stay in the text. */
  readonly markers: readonly string[];
  createParser(): ToolCallParser;
  /** A grammar for one or more calls (exactly one unless `parallel`) to these functions, and nothing else. */
  callGrammar(functions: readonly FunctionGrammar[], options: CallGrammarOptions): TagFormat;
}

/** A function a grammar may call: its name and the grammar of its arguments (a JSON-schema leaf). */
export interface FunctionGrammar {
  readonly name: string;
  readonly arguments: TagFormat;
}

export type { FunctionDefinition };
