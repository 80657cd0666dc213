/**
 * Keeps constrained output valid UTF-8. xgrammar matches characters loosely at the byte level: a
 * string's `[^"\\]` lets through overlong forms, surrogates, stray continuation bytes, so random
 * or unlucky sampling can write bytes that decode to U+FFFD and break `maxLength` counts. So the
 * UTF-8 decoder state between tokens (8 states: complete, or which continuation bytes must come)
 * is tracked, and each state has a precomputed bitmask of the tokens that may follow it. The
 * grammar's mask is ANDed with it; the two agree on which characters exist, so a well-formed
 * continuation is always left.
 */

/** Decoder states: 0 = at a character boundary; others = continuation bytes still due. */
export const UTF8_BOUNDARY = 0;
const STATES = 8;

/** The state after `byte` in `state`, or -1 when the byte cannot come there (RFC 3629 table). */
export function utf8Step(state: number, byte: number): number {
  switch (state) {
    case 0:
      if (byte < 0x80) return 0;
      if (byte >= 0xc2 && byte <= 0xdf) return 1;
      if (byte === 0xe0) return 3;
      if (byte === 0xed) return 4;
      if (byte >= 0xe1 && byte <= 0xef) return 2;
      if (byte === 0xf0) return 6;
      if (byte >= 0xf1 && byte <= 0xf3) return 5;
      if (byte === 0xf4) return 7;
      return -1;
    case 1: // one continuation byte due
      return byte >= 0x80 && byte <= 0xbf ? 0 : -1;
    case 2: // two due
      return byte >= 0x80 && byte <= 0xbf ? 1 : -1;
    case 3: // two due, after E0 (no overlong forms)
      return byte >= 0xa0 && byte <= 0xbf ? 1 : -1;
    case 4: // two due, after ED (no surrogates)
      return byte >= 0x80 && byte <= 0x9f ? 1 : -1;
    case 5: // three due
      return byte >= 0x80 && byte <= 0xbf ? 2 : -1;
    case 6: // three due, after F0 (no overlong forms)
      return byte >= 0x90 && byte <= 0xbf ? 2 : -1;
    case 7: // three due, after F4 (nothing past U+10FFFF)
      return byte >= 0x80 && byte <= 0x8f ? 2 : -1;
    default:
      return -1;
  }
}

export function utf8After(state: number, bytes: Uint8Array): number {
  let s = state;
  for (let i = 0; i < bytes.length && s >= 0; i++) s = utf8Step(s, bytes[i]);
  return s;
}

export class Utf8Masks {
  private constructor(private readonly masks: readonly Int32Array[]) {}

  /** `bytesOf(id)`: the bytes a token adds to the text (empty for special tokens). */
  static build(rows: number, bytesOf: (id: number) => Uint8Array): Utf8Masks {
    const words = Math.ceil(rows / 32);
    const masks = Array.from({ length: STATES }, () => new Int32Array(words));
    for (let id = 0; id < rows; id++) {
      const bytes = bytesOf(id);
      for (let state = 0; state < STATES; state++) {
        if (utf8After(state, bytes) >= 0) masks[state][id >> 5] |= 1 << (id & 31);
      }
    }
    return new Utf8Masks(masks);
  }

  /** Narrow a grammar mask (in place) to the tokens that may follow `state`. */
  narrow(mask: Int32Array, state: number): Int32Array {
    const allowed = this.masks[state] ?? this.masks[UTF8_BOUNDARY];
    const words = Math.min(mask.length, allowed.length);
    for (let w = 0; w < words; w++) mask[w] &= allowed[w];
    return mask;
  }
}
