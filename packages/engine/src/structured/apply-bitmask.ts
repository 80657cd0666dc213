/**
 * xgrammar's token bitmask: bit `id & 31` of word `id >> 5` is set when token `id` is allowed.
 * Applying it sets every disallowed logit to -Infinity, in place. Whole words are the fast path:
 * all-ones words (most of a JSON string's vocabulary) are skipped, and runs of all-zero words
 * (most of the vocabulary between JSON tokens) become one `fill`.
 */
export function applyBitmask(mask: Int32Array, logits: Float32Array): void {
  const rows = logits.length;
  const words = Math.min(mask.length, Math.ceil(rows / 32));
  let zeroRun = -1;
  for (let w = 0; w < words; w++) {
    const word = mask[w];
    if (word === 0) {
      if (zeroRun < 0) zeroRun = w;
      continue;
    }
    if (zeroRun >= 0) {
      logits.fill(Number.NEGATIVE_INFINITY, zeroRun << 5, w << 5);
      zeroRun = -1;
    }
    if (word === -1) continue;
    applyWord(word, w << 5, logits);
  }
  // A trailing run of zero words, and rows past the mask (a longer logits row), are never allowed.
  const tail = zeroRun >= 0 ? zeroRun << 5 : words << 5;
  if (tail < rows) logits.fill(Number.NEGATIVE_INFINITY, tail);
}

const kept = new Float32Array(32);

/** One mixed word: visit only its disallowed bits, or, when those are most, fill and restore the allowed ones. */
function applyWord(word: number, base: number, logits: Float32Array): void {
  const end = Math.min(base + 32, logits.length);
  if (popcount(word) >= 16) {
    for (let zeros = ~word; zeros !== 0; zeros &= zeros - 1) {
      const id = base + (31 - Math.clz32(zeros & -zeros));
      if (id < end) logits[id] = Number.NEGATIVE_INFINITY;
    }
    return;
  }
  let n = 0;
  for (let ones = word; ones !== 0; ones &= ones - 1)
    kept[n++] = logits[base + (31 - Math.clz32(ones & -ones))];
  logits.fill(Number.NEGATIVE_INFINITY, base, end);
  n = 0;
  for (let ones = word; ones !== 0; ones &= ones - 1) {
    const id = base + (31 - Math.clz32(ones & -ones));
    const value = kept[n++];
    if (id < end) logits[id] = value;
  }
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

export function isAllowed(mask: Int32Array, id: number): boolean {
  return id >= 0 && id >> 5 < mask.length && ((mask[id >> 5] >>> (id & 31)) & 1) === 1;
}

/** The lowest allowed id, or -1. */
export function firstAllowed(mask: Int32Array): number {
  for (let w = 0; w < mask.length; w++) {
    const word = mask[w];
    if (word !== 0) return (w << 5) + (31 - Math.clz32(word & -word));
  }
  return -1;
}
