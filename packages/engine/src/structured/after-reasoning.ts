/**
 * A thinking model thinks before it answers, so a constraint on the answer starts after the
 * reasoning block (as vLLM applies structured outputs only once reasoning has ended): inside the
 * block any text goes, up to `</think>` and at most two newlines; then the constraint.
 */
import type { ReasoningSetup } from '../reasoning/reasoning-setup.ts';
import { THINK_TAGS } from '../reasoning/think-splitter.ts';
import type { TagFormat } from './constraint.ts';

const GAP: TagFormat = { type: 'regex', pattern: '\\n{0,2}' };

export function afterReasoning(body: TagFormat, setup: ReasoningSetup | null): TagFormat {
  if (!setup) return body;
  if (setup.startsInReasoning) {
    // The prompt opened the block: the output is its rest, the closing tag, then the answer.
    return {
      type: 'sequence',
      elements: [{ type: 'tag', begin: '', content: { type: 'any_text' }, end: THINK_TAGS.close }, GAP, body],
    };
  }
  if (!setup.mayOpen) return body;
  const thought: TagFormat = {
    type: 'sequence',
    elements: [
      { type: 'tag', begin: THINK_TAGS.open, content: { type: 'any_text' }, end: THINK_TAGS.close },
      GAP,
      body,
    ],
  };
  return { type: 'or', elements: [thought, body] };
}
