/**
 * Stops endless whitespace in constrained output. A JSON grammar allows any whitespace between
 * tokens, and small models (and random weights) can keep choosing newlines and spaces forever.
 * Once the output ends in more than MAX_WHITESPACE_RUN whitespace characters, whitespace-only
 * tokens are masked out, as long as the grammar leaves some other token (a grammar that requires
 * more whitespace still gets it). Cheaper than writing a cap into the grammar, which doubles its
 * compile time.
 */

export const MAX_WHITESPACE_RUN = 32;

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** Whitespace characters a token adds, or -1 when it adds anything else (0: adds nothing). */
export function whitespaceLength(bytes: Uint8Array): number {
  for (const byte of bytes) if (!WHITESPACE.has(byte)) return -1;
  return bytes.length;
}

export class WhitespaceTokens {
  private constructor(private readonly notWhitespace: Int32Array) {}

  static build(rows: number, bytesOf: (id: number) => Uint8Array): WhitespaceTokens {
    const mask = new Int32Array(Math.ceil(rows / 32)).fill(-1);
    for (let id = 0; id < rows; id++) {
      if (whitespaceLength(bytesOf(id)) > 0) mask[id >> 5] &= ~(1 << (id & 31));
    }
    return new WhitespaceTokens(mask);
  }

  /** Drop whitespace-only tokens from `mask` (in place) unless nothing else would be left. */
  limit(mask: Int32Array): Int32Array {
    let left = 0;
    const words = Math.min(mask.length, this.notWhitespace.length);
    for (let w = 0; w < words; w++) left |= mask[w] & this.notWhitespace[w];
    if (left === 0) return mask;
    for (let w = 0; w < words; w++) mask[w] &= this.notWhitespace[w];
    return mask;
  }
}
