/**
 * Llama 3.1 / 3.2 / 3.3 JSON tool calling: the whole answer is a call object, optionally after the
 * `<|python_tag|>` token, as the templates ask ("Respond in the format {"name": function name,
 * "parameters": dictionary of argument name and its value}"):
 *
 *   {"name": "get_weather", "parameters": {"city": "Paris"}}
 *
 * Several calls are separated by `;` (vLLM's llama3_json reading). An answer that does not start
 * with `{` (or the tag) is content; one that starts so but does not read as calls is content too.
 */
import { callTags } from '../call-tags.ts';
import { callsFromObjectSequence } from '../parse-call.ts';
import type { FunctionGrammar, ToolCallFormat } from '../tool-format.ts';
import { LeadingCallParser } from './leading-call-parser.ts';

const PYTHON_TAG = '<|python_tag|>';

export const llama3JsonFormat: ToolCallFormat = {
  name: 'llama3_json',
  // The answer starts with the call, so `<|python_tag|>` (a special token) need not stay in the text.
  markers: [],
  detect: (template) =>
    template.includes(PYTHON_TAG) ||
    (template.includes('<|start_header_id|>') &&
      (template.includes('"parameters"') || template.includes('ipython'))),
  createParser: () =>
    new LeadingCallParser({
      startsCalls(start) {
        if (start.startsWith('{') || start.startsWith(PYTHON_TAG)) return true;
        return PYTHON_TAG.startsWith(start) ? 'maybe' : false;
      },
      read(text) {
        const body = text.startsWith(PYTHON_TAG) ? text.slice(PYTHON_TAG.length) : text;
        return callsFromObjectSequence(body, ';');
      },
    }),
  callGrammar(functions: readonly FunctionGrammar[], { parallel }) {
    const tags = functions.map((fn) => ({
      type: 'tag' as const,
      begin: `{"name": ${JSON.stringify(fn.name)}, "parameters": `,
      content: fn.arguments,
      end: '}',
    }));
    return callTags(tags, '; ', parallel);
  },
};
