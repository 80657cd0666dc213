/**
 * Streaming detokenizer. Each token is turned into its exact bytes (`tokenizer.tokenBytes`) and
 * fed to one streaming `TextDecoder`, which holds back an unfinished UTF-8 character (at most
 * 3 bytes) until its last byte arrives. The work per token is the size of that token, whatever
 * the length of the output so far, and the concatenation of everything `push` and `flush` return
 * equals `tokenizer.decode(allIds)` (same skip rule, same sentencepiece leading-space rule).
 *
 * Sentencepiece tokenizers drop the leading space of the first token that reaches the decoder.
 * When generation continues a prompt, pass the prompt's last few ids as `promptTail`: if any of
 * them survives `skipSpecialTokens`, the first generated token keeps its space (vLLM primes its
 * decode stream with the prompt suffix the same way).
 *
 * `spacesBetweenSpecialTokens` (vLLM's `spaces_between_special_tokens`, the slow-tokenizer rule):
 * every added token that is not skipped stands alone, with one space between it and the text or
 * added token before and after it, exactly as `tokenizer.decode` with that option.
 */
import type { TextTokenizer } from './tokenizer.ts';

export interface DetokenizerOptions {
  readonly skipSpecialTokens?: boolean;
  readonly promptTail?: readonly number[];
  /** Put a space between an added token and what is around it. Default false. */
  readonly spacesBetweenSpecialTokens?: boolean;
}

/** What the output ends with, for `spacesBetweenSpecialTokens`: nothing yet, plain text, or an added token. */
type Segment = 'none' | 'text' | 'added';

export class IncrementalDetokenizer {
  private readonly tokenizer: TextTokenizer;
  private readonly skipSpecialTokens: boolean;
  private readonly spaced: boolean;
  private segment: Segment = 'none';
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  /** Whether a token has already reached the decoder (so no leading space is stripped any more). */
  private started: boolean;
  private readonly tail = new Utf8Tail();
  private work = 0;

  constructor(tokenizer: TextTokenizer, options: DetokenizerOptions = {}) {
    this.tokenizer = tokenizer;
    this.skipSpecialTokens = options.skipSpecialTokens ?? false;
    this.spaced = options.spacesBetweenSpecialTokens ?? false;
    this.started = (options.promptTail ?? []).some((id) => !this.skipped(id));
  }

  /** Feed one generated token; returns the text it completes (possibly ''). */
  push(id: number): string {
    if (this.skipped(id)) return '';
    if (!this.spaced) return this.decode(id);
    if (this.tokenizer.isAdded(id)) {
      // The text before ends here (a dangling partial character included, as decode does).
      const before = this.segment === 'text' ? this.flush() : '';
      const space = this.segment === 'none' ? '' : ' ';
      this.segment = 'added';
      return before + space + this.decode(id);
    }
    const space = this.segment === 'added' ? ' ' : '';
    this.segment = 'text';
    return space + this.decode(id);
  }

  private decode(id: number): string {
    let bytes = this.tokenizer.tokenBytes(id);
    if (!this.started) {
      if (this.tokenizer.stripsLeadingSpace && bytes[0] === 0x20) bytes = bytes.subarray(1);
      this.started = true;
    }
    this.work += bytes.length;
    this.tail.feed(bytes);
    return this.decoder.decode(bytes, { stream: true });
  }

  /** End of generation: returns whatever is still held back (an unfinished character becomes U+FFFD). */
  flush(): string {
    this.tail.reset();
    return this.decoder.decode();
  }

  /** Bytes of an unfinished UTF-8 character currently held back (0..3). */
  get pendingBytes(): number {
    return this.tail.have;
  }

  /** Total bytes handed to the decoder so far: grows by one token's size per push. */
  get bytesProcessed(): number {
    return this.work;
  }

  private skipped(id: number): boolean {
    return this.skipSpecialTokens && this.tokenizer.isSpecial(id);
  }
}

/**
 * Tracks the unfinished UTF-8 sequence at the end of the byte stream by looking at each new byte
 * once. Informational (the `TextDecoder` does the real buffering): it shows the window is bounded.
 */
class Utf8Tail {
  /** Bytes of the current unfinished character seen so far. */
  have = 0;
  /** Continuation bytes it still needs. */
  private need = 0;

  feed(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.need > 0 && b >= 0x80 && b < 0xc0) {
        this.have += 1;
        this.need -= 1;
        if (this.need === 0) this.have = 0;
        continue;
      }
      const need = b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : 0;
      this.have = need > 0 ? 1 : 0;
      this.need = need;
    }
  }

  reset(): void {
    this.have = 0;
    this.need = 0;
  }
}
