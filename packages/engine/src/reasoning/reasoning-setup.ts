/**
 * Reasoning, per request: whether the model thinks (its chat template handles `</think>`), whether
 * the output starts inside a `<think>` block, and what `reasoning_effort` tells the template.
 *
 * `reasoning_effort` per family (an explicit `chat_template_kwargs` entry always wins):
 *
 *   Qwen3, Qwen3-2507, QwQ-style templates reading `enable_thinking`:
 *       none / minimal -> enable_thinking: false (the template closes an empty think block, so
 *       the model answers directly); low / medium / high / xhigh / max -> true (the default).
 *   DeepSeek-V3.1-style templates reading `thinking`: the same, as `thinking: true | false`.
 *   gpt-oss-style templates reading `reasoning_effort`: passed as low / medium / high
 *       (none / minimal -> low, xhigh / max -> high).
 *   Other models (DeepSeek-R1 distills always think; models that do not think): no effect.
 *
 * Reasoning tokens are the completion tokens spent inside the block (its tags included); they are
 * counted in `completion_tokens_details.reasoning_tokens` even when `include_reasoning: false`
 * leaves the text out.
 */
import type { ReasoningEffort } from '@cinder/protocol';
import { THINK_TAGS } from './think-splitter.ts';

export interface ReasoningSetup {
  /** The prompt opened a `<think>` block: the output starts inside it. */
  readonly startsInReasoning: boolean;
  /** The model may open a block itself (thinking is on and the prompt did not close one). */
  readonly mayOpen: boolean;
}

/** Null when the model does not think (its template never mentions `</think>`). */
export function reasoningSetup(template: string, promptText: string): ReasoningSetup | null {
  if (!template.includes(THINK_TAGS.close)) return null;
  const open = promptText.lastIndexOf(THINK_TAGS.open);
  const close = promptText.lastIndexOf(THINK_TAGS.close);
  const startsInReasoning = open > close;
  const closedAtEnd = promptText.trimEnd().endsWith(THINK_TAGS.close);
  return { startsInReasoning, mayOpen: !startsInReasoning && !closedAtEnd };
}

const OFF: ReadonlySet<string> = new Set(['none', 'minimal']);

/** Template variables that carry `reasoning_effort` to templates that read them. */
export function reasoningTemplateKwargs(
  effort: ReasoningEffort | null | undefined,
  template: string,
): Record<string, unknown> {
  if (!effort) return {};
  const on = !OFF.has(effort);
  const kwargs: Record<string, unknown> = {};
  if (template.includes('enable_thinking')) kwargs.enable_thinking = on;
  if (/(^|[^\w])thinking\b/.test(template.replaceAll('enable_thinking', ''))) kwargs.thinking = on;
  if (template.includes('reasoning_effort')) {
    kwargs.reasoning_effort = OFF.has(effort)
      ? 'low'
      : effort === 'xhigh' || effort === 'max'
        ? 'high'
        : effort;
  }
  return kwargs;
}
