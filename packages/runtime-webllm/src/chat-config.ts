/**
 * The loaded model's mlc-chat-config.json, as WebLLM read it. `MLCEngine.reload()` parses the file
 * (with the model record's `overrides`) into `loadedModelIdToChatConfig`, a field its typings mark
 * private but which is a plain property of the 0.2.86 engine (chat-config.test.ts runs the real
 * `reload()` to show it). The adapter reads two things there: `vocab_size` (logit_bias ids beyond it
 * are a 400) and the conversation template's assistant header (whether the prompt opens `<think>`).
 * A `WebWorkerMLCEngine` keeps the config in its worker: pass it as `chatConfig` instead.
 */
import type { WebLlmEngineLike } from './webllm-types.ts';

/** The part of WebLLM's `ChatConfig` the adapter reads. */
export interface WebLlmChatConfig {
  readonly vocab_size?: number;
  readonly conv_template?: {
    readonly roles?: Readonly<Record<string, string>>;
    readonly role_empty_sep?: string;
  };
}

/** The chat config `engine` loaded for `modelId`, when it is an `MLCEngine` (or a stand-in with the field). */
export function loadedChatConfig(engine: WebLlmEngineLike, modelId: string): WebLlmChatConfig | undefined {
  const configs = (engine as { loadedModelIdToChatConfig?: unknown }).loadedModelIdToChatConfig;
  if (!(configs instanceof Map)) return undefined;
  const config: unknown = configs.get(modelId);
  return typeof config === 'object' && config !== null ? (config as WebLlmChatConfig) : undefined;
}

/** `vocab_size` when it is a positive integer. */
export function vocabSizeOf(config: WebLlmChatConfig | undefined): number | undefined {
  const size = config?.vocab_size;
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : undefined;
}

/**
 * The text WebLLM puts before the reply (`Conversation.getPromptArray` for the reply header:
 * the assistant role string, then `role_empty_sep`, ": " when unset).
 */
export function assistantHeader(config: WebLlmChatConfig | undefined): string | undefined {
  const template = config?.conv_template;
  const role = template?.roles?.assistant;
  if (role === undefined) return undefined;
  return role + (template?.role_empty_sep ?? ': ');
}
