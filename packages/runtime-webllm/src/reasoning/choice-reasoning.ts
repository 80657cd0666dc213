/**
 * One choice of a thinking model, read as cinder's engine reads it (its MessageParser): the text
 * is split into reasoning and content (think-splitter.ts), `include_reasoning: false` drops the
 * reasoning, and the tokens spent inside the block (its tags included) are counted for
 * `completion_tokens_details.reasoning_tokens`.
 *
 * Two differences from cinder's runtime are absorbed here:
 * - With `enable_thinking: false` WebLLM writes the empty block into the output, where cinder's
 *   runtime has it in the prompt: it is dropped from the start of the output (it is no reasoning).
 * - WebLLM gives no token ids. Tokens are counted from what arrives one token at a time: WebLLM's
 *   stream chunks (one per sampled token; a token ending inside a multi-byte character shares the
 *   next token's chunk and is counted with it) or, with logprobs, its per-token entries.
 *   Output text and token texts are read separately because stop strings hold output text back.
 */
import { type SplitText, ThinkSplitter } from './think-splitter.ts';
import { EMPTY_THINKING_BLOCK, type WebLlmThinking } from './thinking-models.ts';

export interface ReasoningPlan {
  readonly thinking: WebLlmThinking;
  /** WebLLM was sent `enable_thinking: false`, so its output starts with an empty block. */
  readonly thinkingOff: boolean;
  /** vLLM `include_reasoning` (default true): false leaves the reasoning text out. */
  readonly includeReasoning: boolean;
}

/** Drops `prefix` from the start of a text that arrives in pieces, when the text starts with it. */
class PrefixDrop {
  #pending = '';
  #done: boolean;

  constructor(private readonly prefix: string) {
    this.#done = prefix === '';
  }

  push(text: string): string {
    if (this.#done) return text;
    this.#pending += text;
    if (this.#pending.length < this.prefix.length && this.prefix.startsWith(this.#pending)) return '';
    this.#done = true;
    const out = this.#pending.startsWith(this.prefix)
      ? this.#pending.slice(this.prefix.length)
      : this.#pending;
    this.#pending = '';
    return out;
  }

  finish(): string {
    this.#done = true;
    const out = this.#pending;
    this.#pending = '';
    return out;
  }
}

export class ChoiceReasoning {
  readonly #include: boolean;
  readonly #text: PrefixDrop;
  readonly #splitter: ThinkSplitter;
  readonly #tokens: PrefixDrop;
  readonly #counter: ThinkSplitter;
  #reasoningTokens = 0;

  constructor(plan: ReasoningPlan) {
    const prefix = plan.thinkingOff ? EMPTY_THINKING_BLOCK : '';
    const open = plan.thinking.startsInReasoning && !plan.thinkingOff;
    this.#include = plan.includeReasoning;
    this.#text = new PrefixDrop(prefix);
    this.#splitter = new ThinkSplitter(open);
    this.#tokens = new PrefixDrop(prefix);
    this.#counter = new ThinkSplitter(open);
  }

  /** Completion tokens spent inside the reasoning block so far. */
  get reasoningTokens(): number {
    return this.#reasoningTokens;
  }

  /** The text of one generated token: counted when it is (partly) inside the block. */
  countToken(text: string): void {
    const before = this.#counter.inReasoning;
    const parts = this.#counter.push(this.#tokens.push(text));
    if (before || this.#counter.inReasoning || parts.reasoning !== '') this.#reasoningTokens += 1;
  }

  /** Output text, in order: what it adds to the reasoning and the content. */
  push(text: string): SplitText {
    return this.#keep(this.#splitter.push(this.#text.push(text)));
  }

  /** The end of the output: releases what was held back. */
  finish(): SplitText {
    const last = this.#splitter.push(this.#text.finish());
    const rest = this.#splitter.finish();
    return this.#keep({ reasoning: last.reasoning + rest.reasoning, content: last.content + rest.content });
  }

  /** A whole output at once. */
  read(text: string): SplitText {
    const first = this.push(text);
    const rest = this.finish();
    return { reasoning: first.reasoning + rest.reasoning, content: first.content + rest.content };
  }

  #keep(parts: SplitText): SplitText {
    return this.#include ? parts : { reasoning: '', content: parts.content };
  }
}
