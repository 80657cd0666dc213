/**
 * Hermes / Qwen (2.5, 3, QwQ) format: each call is a JSON object between tags, anywhere in the
 * output, possibly several in a row:
 *
 *   <tool_call>
 *   {"name": "get_weather", "arguments": {"city": "Paris"}}
 *   </tool_call>
 *
 * (NousResearch Hermes-2-Pro / Hermes-3 function-calling format; the Qwen2.5 and Qwen3 chat
 * templates write and describe the same.) Text around the calls is content. It is also the format
 * used when a template shows no tool-call format at all.
 */
import { callTags } from '../call-tags.ts';
import { callFromObject, parseJson, partialMarkerLength } from '../parse-call.ts';
import type { FunctionGrammar, ToolCallFormat, ToolCallParser, ToolOutputPiece } from '../tool-format.ts';

const START = '<tool_call>';
const END = '</tool_call>';

export const hermesFormat: ToolCallFormat = {
  name: 'hermes',
  markers: [START, END],
  detect: (template) => template.includes(START),
  createParser: () => new HermesParser(),
  callGrammar(functions: readonly FunctionGrammar[], { parallel }) {
    const tags = functions.map((fn) => ({
      type: 'tag' as const,
      begin: `${START}\n{"name": ${JSON.stringify(fn.name)}, "arguments": `,
      content: fn.arguments,
      end: `}\n${END}`,
    }));
    return callTags(tags, '\n', parallel);
  },
};

class HermesParser implements ToolCallParser {
  private buffer = '';
  private inCall = false;

  push(text: string): ToolOutputPiece[] {
    this.buffer += text;
    const out: ToolOutputPiece[] = [];
    for (;;) {
      if (!this.inCall) {
        const start = this.buffer.indexOf(START);
        if (start < 0) {
          const keep = partialMarkerLength(this.buffer, START);
          content(out, this.buffer.slice(0, this.buffer.length - keep));
          this.buffer = this.buffer.slice(this.buffer.length - keep);
          return out;
        }
        content(out, this.buffer.slice(0, start));
        this.buffer = this.buffer.slice(start + START.length);
        this.inCall = true;
      }
      const end = this.buffer.indexOf(END);
      if (end < 0) return out;
      out.push(bodyPiece(this.buffer.slice(0, end), true));
      this.buffer = this.buffer.slice(end + END.length);
      this.inCall = false;
    }
  }

  finish(): ToolOutputPiece[] {
    const out: ToolOutputPiece[] = [];
    // A call cut off before its end tag still counts when its JSON is complete.
    if (this.inCall) out.push(bodyPiece(this.buffer, false));
    else content(out, this.buffer);
    this.buffer = '';
    this.inCall = false;
    return out;
  }
}

function bodyPiece(body: string, closed: boolean): ToolOutputPiece {
  const call = callFromObject(parseJson(body.trim()));
  if (call) return { kind: 'call', call };
  return { kind: 'content', text: `${START}${body}${closed ? END : ''}` };
}

function content(out: ToolOutputPiece[], text: string): void {
  if (text !== '') out.push({ kind: 'content', text });
}
