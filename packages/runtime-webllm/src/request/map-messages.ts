/**
 * Our (OpenAI + vLLM) messages -> WebLLM's. WebLLM renders `messages[:-1]` into its conversation
 * template and prefills the last one (lib/index.js `getConversationFromChatCompletionRequest`):
 * one system message, first; user / assistant / tool turns with string content; the last message
 * from the user or a tool. What cannot be expressed that way is a 400 naming the message.
 *
 * - `developer` is the newer name of `system` (as in cinder's own runtime).
 * - Text parts are joined into one string, as chat templates concatenate them.
 * - Image parts (and WAV audio) go through to WebLLM, which accepts them on vision (audio) models
 *   only, with exactly one text part; anything else it refuses is mapped to a 400 (errors.ts).
 */
import type { ChatCompletionRequest, ChatMessage, UserContentPart } from '@cinder/protocol';
import { invalidParam } from '@cinder/protocol';
import type { WebLlmMessage } from '../webllm-types.ts';
import { notSupported } from './refusals.ts';

type WebLlmUserContent = Extract<WebLlmMessage, { role: 'user' }>['content'];

export function mapMessages(request: ChatCompletionRequest): WebLlmMessage[] {
  const messages = request.messages.map((message, i) => mapMessage(message, i));
  const last = messages[messages.length - 1];
  if (!last || (last.role !== 'user' && last.role !== 'tool')) {
    throw notSupported(
      `messages[${messages.length - 1}].role`,
      'the last message must be from the user or a tool (no assistant prefill)',
    );
  }
  return messages;
}

function mapMessage(message: ChatMessage, i: number): WebLlmMessage {
  switch (message.role) {
    case 'system':
    case 'developer':
      if (i !== 0) throw notSupported(`messages[${i}].role`, 'a system message may only come first');
      return { role: 'system', content: textOf(message.content) };
    case 'user':
      return withName({ role: 'user', content: userContent(message.content, i) }, message.name);
    case 'assistant': {
      if ((message.tool_calls ?? []).length > 0 || message.function_call) {
        throw notSupported(`messages[${i}].tool_calls`, 'it cannot render earlier tool calls');
      }
      const content = message.content == null ? (message.refusal ?? '') : textOf(message.content);
      return withName({ role: 'assistant', content }, message.name);
    }
    case 'tool':
      return { role: 'tool', content: textOf(message.content), tool_call_id: message.tool_call_id };
    case 'function':
      throw notSupported(`messages[${i}].role`, "it has no 'function' role");
  }
}

function withName<T extends WebLlmMessage>(message: T, name: string | undefined): T {
  return name === undefined ? message : { ...message, name };
}

type TextLike = { type: string; text?: string; refusal?: string };

/** Text parts (and an assistant's refusal parts) concatenated, as chat templates do. */
function textOf(content: string | readonly TextLike[]): string {
  if (typeof content === 'string') return content;
  return content.map((part) => part.text ?? part.refusal ?? '').join('');
}

function userContent(content: string | UserContentPart[], i: number): WebLlmUserContent {
  if (typeof content === 'string') return content;
  const media = content.filter((part) => part.type !== 'text');
  if (media.length === 0) return textOf(content);
  const parts: Exclude<WebLlmUserContent, string> = [];
  let texts = 0;
  content.forEach((part, j) => {
    const param = `messages[${i}].content[${j}]`;
    if (part.type === 'text') {
      texts += 1;
      if (texts > 1) throw notSupported(param, 'a message with images may have one text part only');
      parts.push({ type: 'text', text: part.text });
    } else if (part.type === 'image_url') {
      const { url, detail } = part.image_url;
      if (detail !== undefined)
        throw notSupported(`${param}.image_url.detail`, 'it has no image detail levels');
      parts.push({ type: 'image_url', image_url: { url } });
    } else if (part.type === 'input_audio' && part.input_audio.format === 'wav') {
      parts.push({ type: 'input_audio', input_audio: { data: part.input_audio.data, format: 'wav' } });
    } else {
      throw invalidParam(
        param,
        `Content parts of type '${part.type}' are not supported by the WebLLM runtime.`,
        'unsupported_content_type',
      );
    }
  });
  return parts;
}
