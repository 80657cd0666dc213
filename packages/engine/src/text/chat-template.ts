/**
 * Renders a model's chat template (jinja, via `@huggingface/jinja`) the way HF transformers'
 * `apply_chat_template` does, with vLLM's message handling (see chat-messages.ts).
 *
 * Variables the template sees: `messages`, `tools` (OpenAI tool definitions as given, or null),
 * `documents` (or null), `add_generation_prompt`, the tokenizer_config special tokens
 * (`bos_token`, `eos_token`, `pad_token`, ...), every `chat_template_kwargs` entry (e.g.
 * `enable_thinking`; they cannot replace the names above), `raise_exception(msg)` (throws a
 * TemplateError) and `strftime_now(format)`.
 *
 * Any failure (no template, jinja syntax or runtime error, `raise_exception`, a final message
 * the template drops under `continue_final_message`) is a `TemplateError`: the request's fault,
 * an HTTP 400 as in vLLM.
 */
import { Environment, Interpreter, Template } from '@huggingface/jinja';
import {
  type ChatMessageInput,
  type ContentFormat,
  detectContentFormat,
  normalizeMessages,
  type TemplateMessage,
} from './chat-messages.ts';
import { specialTokensMap } from './special-tokens.ts';
import { strftime } from './strftime.ts';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export interface NamedChatTemplate {
  readonly name: string;
  readonly template: string;
}

/** tokenizer_config `chat_template`: one template, a list of named ones, or a name -> template map. */
export type ChatTemplateSource = string | readonly NamedChatTemplate[] | Readonly<Record<string, string>>;

export interface ChatTemplateInput {
  readonly messages: readonly ChatMessageInput[];
  readonly tools?: readonly unknown[] | null;
  readonly documents?: readonly unknown[] | null;
  /** Append the assistant header so the model answers. Default false, as in HF. */
  readonly addGenerationPrompt?: boolean;
  /** Render, then cut after the final message's text so the model continues it. */
  readonly continueFinalMessage?: boolean;
  /** `chat_template_kwargs`. */
  readonly templateKwargs?: Readonly<Record<string, unknown>>;
  /** `bos_token`, `eos_token`, ... contents (TextTokenizer.specialTokens). */
  readonly specialTokens?: Readonly<Record<string, string>>;
  /** Default 'auto': detected from the template source. */
  readonly contentFormat?: ContentFormat | 'auto';
  /** Clock for `strftime_now`; default `new Date()`. */
  readonly now?: () => Date;
}

const RESERVED = new Set([
  'messages',
  'tools',
  'documents',
  'add_generation_prompt',
  'raise_exception',
  'strftime_now',
]);

/**
 * Pick the template text: `override` (a template, or the name of one of the model's named
 * templates) wins; with named templates, "tool_use" when tools are given and it exists, else
 * "default".
 */
export function resolveChatTemplate(
  source: unknown,
  options: { readonly override?: string | null; readonly hasTools?: boolean } = {},
): string {
  const named = namedTemplates(source);
  const override = options.override;
  if (override !== undefined && override !== null && override !== '') return named?.get(override) ?? override;
  if (typeof source === 'string' && source !== '') return source;
  if (named) {
    const pick = (options.hasTools && named.get('tool_use')) || named.get('default');
    if (pick !== undefined) return pick;
    throw new TemplateError(
      'This model has multiple chat templates with no default specified! Please either pass a chat template or the name of the template you wish to use.',
    );
  }
  throw new TemplateError(
    'Cannot use chat template functions because tokenizer.chat_template is not set and no template argument was passed!',
  );
}

function namedTemplates(source: unknown): Map<string, string> | null {
  if (Array.isArray(source)) {
    const map = new Map<string, string>();
    for (const entry of source) {
      const { name, template } = (entry ?? {}) as { name?: unknown; template?: unknown };
      if (typeof name === 'string' && typeof template === 'string') map.set(name, template);
    }
    return map;
  }
  if (typeof source === 'object' && source !== null) {
    const entries = Object.entries(source).filter((e): e is [string, string] => typeof e[1] === 'string');
    return new Map(entries);
  }
  return null;
}

interface CompiledTemplate {
  readonly template: Template;
  readonly contentFormat: ContentFormat;
}

const cache = new Map<string, CompiledTemplate>();
const CACHE_LIMIT = 16;

function compile(source: string): CompiledTemplate {
  const hit = cache.get(source);
  if (hit) return hit;
  let template: Template;
  try {
    template = new Template(source);
  } catch (cause) {
    throw new TemplateError(`Invalid chat template: ${messageOf(cause)}`, { cause });
  }
  const compiled = { template, contentFormat: detectContentFormat(source) };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(source, compiled);
  return compiled;
}

/** Render `template` (the template text, see resolveChatTemplate) for a conversation. */
export function renderChatTemplate(template: string, input: ChatTemplateInput): string {
  const compiled = compile(template);
  const format =
    input.contentFormat === undefined || input.contentFormat === 'auto'
      ? compiled.contentFormat
      : input.contentFormat;
  const messages = normalizeMessages(input.messages, format);
  if (input.continueFinalMessage && input.addGenerationPrompt) {
    throw new TemplateError('Cannot set both `continue_final_message` and `add_generation_prompt` to True.');
  }

  const variables: Record<string, unknown> = { ...input.specialTokens };
  for (const [key, value] of Object.entries(input.templateKwargs ?? {})) {
    if (!RESERVED.has(key) && value !== undefined) variables[key] = value;
  }
  variables.messages = messages;
  variables.tools = input.tools ?? null;
  variables.documents = input.documents ?? null;
  variables.add_generation_prompt = input.addGenerationPrompt ?? false;

  let rendered: string;
  try {
    rendered = run(compiled.template, variables, input.now ?? (() => new Date()));
  } catch (cause) {
    if (cause instanceof TemplateError) throw cause;
    throw new TemplateError(`Error rendering the chat template: ${messageOf(cause)}`, { cause });
  }
  return input.continueFinalMessage ? cutAfterFinalMessage(rendered, messages) : rendered;
}

function run(template: Template, variables: Record<string, unknown>, now: () => Date): string {
  // Template.render() declares `raise_exception` itself and refuses redeclaration, so build
  // the environment here with the same globals.
  const env = new Environment();
  const globals: Record<string, unknown> = {
    false: false,
    true: true,
    none: null,
    False: false,
    True: true,
    None: null,
    range,
    raise_exception: (message: unknown) => {
      throw new TemplateError(String(message));
    },
    strftime_now: (format: unknown) => strftime(now(), String(format)),
  };
  for (const [key, value] of Object.entries({ ...globals, ...variables })) env.set(key, value);
  const result = new Interpreter(env).run(template.parsed);
  return String(result.value);
}

function range(start: number, stop?: number, step = 1): number[] {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0) throw new TemplateError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

/** HF `continue_final_message`: cut the render right after the final message's text. */
function cutAfterFinalMessage(rendered: string, messages: readonly TemplateMessage[]): string {
  const last = messages[messages.length - 1];
  let final: string | null = null;
  if (typeof last?.content === 'string') final = last.content;
  else if (Array.isArray(last?.content)) {
    const texts = last.content.filter((p) => typeof p.text === 'string');
    final = texts.length > 0 ? (texts[texts.length - 1].text as string) : null;
  }
  if (final === null) {
    throw new TemplateError(
      'continue_final_message is set but we could not find any text to continue in the final message!',
    );
  }
  const stripped = final.trim();
  const at = rendered.lastIndexOf(stripped);
  if (at < 0) {
    throw new TemplateError(
      'continue_final_message is set but the final message does not appear in the chat after applying the chat template! This can happen if the chat template deletes portions of the final message. Please verify the chat template and final message in your chat to ensure they are compatible.',
    );
  }
  const lstripped = final.trimStart();
  // Keep trailing whitespace when the template kept it; otherwise cut after the stripped text.
  if (rendered.slice(at, at + lstripped.length) === final) return rendered.slice(0, at + lstripped.length);
  return rendered.slice(0, at + stripped.length);
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Convenience: pick the template from a tokenizer_config (or `input.chatTemplate`) and render it
 * with the config's special tokens.
 */
export function applyChatTemplate(
  tokenizerConfig: Readonly<Record<string, unknown>>,
  input: ChatTemplateInput & { readonly chatTemplate?: string | null },
): string {
  const template = resolveChatTemplate(tokenizerConfig.chat_template, {
    override: input.chatTemplate,
    hasTools: input.tools !== undefined && input.tools !== null,
  });
  return renderChatTemplate(template, {
    ...input,
    specialTokens: input.specialTokens ?? specialTokensMap(tokenizerConfig),
  });
}
