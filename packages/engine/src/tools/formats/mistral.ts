/**
 * Mistral tool calls follow the `[TOOL_CALLS]` control token, to the end of the output, in one of
 * two layouts (mistral-common tokenizer versions):
 *
 *   v3 (Mistral 7B v0.3, Nemo, Small 3.1):  [TOOL_CALLS][{"name": "f", "arguments": {...}}, ...]
 *   v11+ (Small 3.2, Magistral, Devstral):  [TOOL_CALLS]f[ARGS]{...}[TOOL_CALLS]g[ARGS]{...}
 *
 * Both are read whatever the template. `[TOOL_CALLS]` is a special token, so it reaches the text
 * only when special tokens are kept (they are, when tools are on); an output that is just the call
 * array (the token skipped) is also read as calls. The grammar writes the layout the template uses.
 */
import { callTags } from '../call-tags.ts';
import { callFromObject, parseJson } from '../parse-call.ts';
import type { FunctionGrammar, ParsedToolCall, ToolCallFormat, ToolCallParser } from '../tool-format.ts';
import { LeadingCallParser } from './leading-call-parser.ts';

const MARKER = '[TOOL_CALLS]';
const ARGS = '[ARGS]';
const CALL_ID = '[CALL_ID]';

function createParser(): ToolCallParser {
  return new LeadingCallParser({
    marker: MARKER,
    startsCalls(start) {
      if (start.startsWith(MARKER) || /^\[\s*\{/.test(start)) return true;
      return MARKER.startsWith(start) || /^\[\s*$/.test(start) ? 'maybe' : false;
    },
    read: readMistralCalls,
  });
}

export function readMistralCalls(text: string): ParsedToolCall[] | null {
  const body = text.startsWith(MARKER) ? text.slice(MARKER.length) : text;
  if (body.trimStart().startsWith('[')) {
    const list = parseJson(body.trim());
    if (!Array.isArray(list) || list.length === 0) return null;
    const calls = list.map(callFromObject);
    return calls.every((call) => call !== null) ? (calls as ParsedToolCall[]) : null;
  }
  const calls: ParsedToolCall[] = [];
  for (const segment of body.split(MARKER)) {
    const at = segment.indexOf(ARGS);
    if (at < 0) return null;
    const name = segment.slice(0, at).split(CALL_ID)[0].trim();
    const call = callFromObject({ name, arguments: parseJson(segment.slice(at + ARGS.length).trim()) });
    if (!call || !/^[\w.-]+$/.test(name)) return null;
    calls.push(call);
  }
  return calls.length > 0 ? calls : null;
}

/** v3: `[TOOL_CALLS][` calls separated by `, ` `]`. */
export const mistralFormat: ToolCallFormat = {
  name: 'mistral',
  markers: [MARKER],
  detect: (template) => template.includes(MARKER),
  createParser,
  callGrammar(functions: readonly FunctionGrammar[], { parallel }) {
    const tags = functions.map((fn) => ({
      type: 'tag' as const,
      begin: `{"name": ${JSON.stringify(fn.name)}, "arguments": `,
      content: fn.arguments,
      end: '}',
    }));
    return { type: 'tag', begin: `${MARKER}[`, content: callTags(tags, ', ', parallel), end: ']' };
  },
};

/** v11+: each call is `[TOOL_CALLS]name[ARGS]{...}`. */
export const mistralArgsFormat: ToolCallFormat = {
  name: 'mistral_args',
  markers: [MARKER, ARGS],
  detect: (template) => template.includes(MARKER) && template.includes(ARGS),
  createParser,
  callGrammar(functions: readonly FunctionGrammar[], { parallel }) {
    const tags = functions.map((fn) => ({
      type: 'tag' as const,
      begin: `${fn.name}${ARGS}`,
      content: fn.arguments,
      end: '',
    }));
    // The marker starts the first call and separates the others (a separator cannot be empty).
    return {
      type: 'sequence',
      elements: [{ type: 'const_string', value: MARKER }, callTags(tags, MARKER, parallel)],
    };
  },
};
