/**
 * Splits a thinking model's output, as it streams, into reasoning (inside `<think>...</think>`) and
 * content (after it). The block is recognised only at the start of the output (blank lines may
 * come first), or is already open when the prompt opened it (DeepSeek-R1, QwQ, Qwen3-Thinking-2507
 * templates end the prompt with `<think>\n`). Newlines right after `</think>` are dropped from the
 * content. Text that may be the start of a tag is held back; an unclosed block is all reasoning
 * (the output was cut off while thinking).
 */
import { partialMarkerLength } from '../tools/parse-call.ts';

export interface SplitText {
  readonly reasoning: string;
  readonly content: string;
}

export interface ThinkTags {
  readonly open: string;
  readonly close: string;
}

export const THINK_TAGS: ThinkTags = { open: '<think>', close: '</think>' };

export class ThinkSplitter {
  private state: 'start' | 'reasoning' | 'content';
  private buffer = '';
  private afterClose = false;

  constructor(
    startInReasoning: boolean,
    private readonly tags: ThinkTags = THINK_TAGS,
  ) {
    this.state = startInReasoning ? 'reasoning' : 'start';
  }

  /** True while the text goes to reasoning (including a held-back partial `</think>`). */
  get inReasoning(): boolean {
    return this.state === 'reasoning';
  }

  push(text: string): SplitText {
    this.buffer += text;
    let reasoning = '';
    let content = '';
    for (;;) {
      if (this.state === 'start') {
        const trimmed = this.buffer.trimStart();
        if (trimmed === '' || (this.tags.open.startsWith(trimmed) && trimmed !== this.tags.open)) break;
        if (trimmed.startsWith(this.tags.open)) {
          this.buffer = trimmed.slice(this.tags.open.length);
          this.state = 'reasoning';
        } else {
          this.state = 'content';
        }
        continue;
      }
      if (this.state === 'reasoning') {
        const close = this.buffer.indexOf(this.tags.close);
        if (close < 0) {
          const keep = partialMarkerLength(this.buffer, this.tags.close);
          reasoning += this.buffer.slice(0, this.buffer.length - keep);
          this.buffer = this.buffer.slice(this.buffer.length - keep);
          break;
        }
        reasoning += this.buffer.slice(0, close);
        this.buffer = this.buffer.slice(close + this.tags.close.length);
        this.state = 'content';
        this.afterClose = true;
        continue;
      }
      if (this.afterClose) {
        this.buffer = this.buffer.replace(/^\n+/, '');
        if (this.buffer === '') break;
        this.afterClose = false;
      }
      content += this.buffer;
      this.buffer = '';
      break;
    }
    return { reasoning, content };
  }

  finish(): SplitText {
    const rest = this.buffer;
    this.buffer = '';
    if (this.state === 'reasoning') return { reasoning: rest, content: '' };
    return { reasoning: '', content: this.afterClose ? rest.replace(/^\n+/, '') : rest };
  }
}
