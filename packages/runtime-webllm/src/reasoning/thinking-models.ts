/**
 * Which WebLLM models think, decided from the model id (WebLLM's records say nothing about it) and,
 * when known, the conversation template of the loaded mlc-chat-config.json:
 *
 *   Qwen3-*, Qwen3.5-* (not *-Instruct-2507)   think in `<think>…</think>`; WebLLM's
 *       `extra_body.enable_thinking: false` turns it off (WebLLM then starts the reply with an
 *       empty block, "<think>\n\n</think>\n\n", as Qwen3's own template does in the prompt)
 *   DeepSeek-R1-Distill-*, QwQ-*               always think in `<think>…</think>`; no switch
 *   everything else                             does not think: `<think>` text stays content
 *
 * Ministral-3-*-Reasoning thinks in `[THINK]…[/THINK]`, special tokens whose decoding WebLLM does
 * not document: it is left unsplit. The output starts inside the block when the template's reply
 * header opens `<think>` (as DeepSeek-R1 and Qwen3-Thinking-2507 templates do in Hugging Face form).
 */
import { assistantHeader, type WebLlmChatConfig } from '../chat-config.ts';
import { THINK_CLOSE, THINK_OPEN } from './think-splitter.ts';

export interface WebLlmThinking {
  /** The model reads WebLLM's `enable_thinking` (reasoning_effort / chat_template_kwargs map onto it). */
  readonly switchable: boolean;
  /** The prompt WebLLM renders opens a `<think>` block: the output starts inside it. */
  readonly startsInReasoning: boolean;
}

const SWITCHABLE = /^Qwen3(\.\d+)?-/i;
const NOT_THINKING = /-Instruct-2507/i;
const ALWAYS = /(^|-)DeepSeek-R1-Distill-|^QwQ-/i;

/** Null when the model does not think. */
export function webLlmThinking(modelId: string, config?: WebLlmChatConfig): WebLlmThinking | null {
  const switchable = SWITCHABLE.test(modelId) && !NOT_THINKING.test(modelId);
  if (!switchable && !ALWAYS.test(modelId)) return null;
  const header = assistantHeader(config) ?? '';
  const startsInReasoning = header.lastIndexOf(THINK_OPEN) > header.lastIndexOf(THINK_CLOSE);
  return { switchable, startsInReasoning };
}

/**
 * The empty block WebLLM 0.2.86 writes at the start of the output with `enable_thinking: false`
 * (`LLMChatPipeline.forwardPrefill`). Its tokens go into the output ids, so WebLLM counts them
 * against `max_tokens` (not in `completion_tokens`): 4 with the Qwen3 tokenizer (`<think>`,
 * "\n\n", `</think>`, "\n\n"), added to the max_tokens WebLLM is sent.
 */
export const EMPTY_THINKING_BLOCK = '<think>\n\n</think>\n\n';
export const EMPTY_THINKING_BLOCK_TOKENS = 4;
