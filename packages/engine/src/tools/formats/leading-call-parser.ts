/**
 * A parser for formats where calls take the rest of the output once they start: a decision is made
 * on the first non-blank characters (or at a marker), and from there everything is held until the
 * output ends and then read as calls, or, if it does not read, given back as content.
 */
import { partialMarkerLength } from '../parse-call.ts';
import type { ParsedToolCall, ToolCallParser, ToolOutputPiece } from '../tool-format.ts';

export interface LeadingCallRules {
  /** Does output starting with this text (first non-blank characters) hold calls? 'maybe': need more text. */
  startsCalls(start: string): boolean | 'maybe';
  /** A marker that starts calls anywhere in the output (e.g. Mistral's `[TOOL_CALLS]`), if any. */
  readonly marker?: string;
  /** Read the held text (from the first non-blank character, or from the marker) as calls, or null. */
  read(text: string): ParsedToolCall[] | null;
}

export class LeadingCallParser implements ToolCallParser {
  private mode: 'start' | 'content' | 'calls' = 'start';
  private buffer = '';

  constructor(private readonly rules: LeadingCallRules) {}

  push(text: string): ToolOutputPiece[] {
    this.buffer += text;
    const out: ToolOutputPiece[] = [];
    if (this.mode === 'start') {
      const start = this.buffer.trimStart();
      if (start === '') return out;
      const decision = this.rules.startsCalls(start);
      if (decision === 'maybe') return out;
      if (decision) {
        this.mode = 'calls';
        this.buffer = start;
        return out;
      }
      this.mode = 'content';
    }
    if (this.mode === 'content') this.scan(out);
    return out;
  }

  finish(): ToolOutputPiece[] {
    const out: ToolOutputPiece[] = [];
    const text = this.buffer;
    if (this.mode === 'calls') {
      const calls = this.rules.read(text);
      if (calls) for (const call of calls) out.push({ kind: 'call', call });
      else if (text !== '') out.push({ kind: 'content', text });
    } else if (text !== '') {
      out.push({ kind: 'content', text });
    }
    this.buffer = '';
    return out;
  }

  /** Content mode: stream text, but watch for the marker. */
  private scan(out: ToolOutputPiece[]): void {
    const { marker } = this.rules;
    if (!marker) {
      if (this.buffer !== '') out.push({ kind: 'content', text: this.buffer });
      this.buffer = '';
      return;
    }
    const at = this.buffer.indexOf(marker);
    const cut = at >= 0 ? at : this.buffer.length - partialMarkerLength(this.buffer, marker);
    if (cut > 0) out.push({ kind: 'content', text: this.buffer.slice(0, cut) });
    this.buffer = this.buffer.slice(cut);
    if (at >= 0) this.mode = 'calls';
  }
}
