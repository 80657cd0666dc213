/**
 * Turns OpenAI-shaped chat messages into what chat templates expect, following vLLM's
 * `chat_utils` so prompts match a vLLM server's:
 *
 * - Content format. Most templates treat `content` as a string ("string" format): text parts
 *   are joined with "\n" and non-text parts dropped (this engine is text-only). Templates that
 *   loop over `message.content` ("openai" format) get a list of parts, a string becoming
 *   `[{type: 'text', text}]`. `detectContentFormat` picks one from the template source.
 * - `content: null` (an assistant turn with only tool calls) becomes '' (or [] for "openai").
 * - Tool-call `arguments` JSON strings are parsed into objects (HF templates expect dicts);
 *   empty arguments become {}; arguments that are not valid JSON stay strings.
 * - `reasoning` and `reasoning_content` are both set when either is given.
 * - Keys whose value is `undefined` are dropped: jinja's `'x' in message` must be false for them.
 */

export type ContentFormat = 'string' | 'openai';

/** An OpenAI content part; only `text` and `refusal` parts carry text. Other fields pass through. */
export interface ChatContentPart {
  readonly type: string;
  readonly text?: string;
  readonly refusal?: string;
}

/**
 * An OpenAI-shaped message. Fields not listed here (e.g. `name`, vendor extras) are passed to
 * the template as they are.
 */
export interface ChatMessageInput {
  readonly role: string;
  readonly content?: string | readonly ChatContentPart[] | null;
  readonly tool_calls?: readonly unknown[] | null;
  readonly tool_call_id?: string;
  readonly reasoning?: string | null;
  readonly reasoning_content?: string | null;
}

/** A message ready for the template: plain JSON data. */
export type TemplateMessage = Record<string, unknown> & { role: string; content: string | ChatContentPart[] };

/**
 * "openai" when the template iterates over a message's content (`{% for part in message['content'] %}`,
 * `{% for c in msg.content %}`), "string" otherwise. vLLM walks the jinja AST; a look at the
 * source finds the same loops in the templates we know.
 */
export function detectContentFormat(template: string): ContentFormat {
  const loopOverContent =
    /\{%-?\s*for\s+[\w, ]+\s+in\s+[\w.[\]'"]*(?:\.content|\[\s*['"]content['"]\s*\])(?![\w.[])/;
  return loopOverContent.test(template) ? 'openai' : 'string';
}

/** The text of a content part, or null when it carries no text (images, audio, ...). */
function partText(part: ChatContentPart): string | null {
  if (part.type === 'text' && typeof part.text === 'string') return part.text;
  if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal;
  return null;
}

export function normalizeContent(
  content: ChatMessageInput['content'],
  format: ContentFormat,
): string | ChatContentPart[] {
  if (content === null || content === undefined) return format === 'string' ? '' : [];
  if (typeof content === 'string') return format === 'string' ? content : [{ type: 'text', text: content }];
  if (format === 'openai') return content.map((part) => ({ ...part }));
  return content
    .map(partText)
    .filter((text): text is string => text !== null)
    .join('\n');
}

function parseArguments(args: unknown): unknown {
  if (args === undefined || args === null || args === '') return {};
  if (typeof args !== 'string') return args;
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

function normalizeToolCall(call: unknown): unknown {
  if (typeof call !== 'object' || call === null) return call;
  const copy = { ...(call as Record<string, unknown>) };
  const fn = copy.function;
  if (typeof fn === 'object' && fn !== null) {
    const fnCopy = { ...(fn as Record<string, unknown>) };
    fnCopy.arguments = parseArguments(fnCopy.arguments);
    copy.function = fnCopy;
  }
  return copy;
}

export function normalizeMessage(message: ChatMessageInput, format: ContentFormat): TemplateMessage {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) if (value !== undefined) out[key] = value;
  out.content = normalizeContent(message.content, format);
  if (Array.isArray(message.tool_calls)) out.tool_calls = message.tool_calls.map(normalizeToolCall);
  else delete out.tool_calls;
  const reasoning = message.reasoning ?? message.reasoning_content;
  if (typeof reasoning === 'string') {
    out.reasoning = reasoning;
    out.reasoning_content = reasoning;
  }
  return out as TemplateMessage;
}

export function normalizeMessages(
  messages: readonly ChatMessageInput[],
  format: ContentFormat,
): TemplateMessage[] {
  return messages.map((message) => normalizeMessage(message, format));
}
