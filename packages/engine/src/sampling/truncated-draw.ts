/**
 * The random end of the chain in one go: temperature -> min_p -> top_k -> top_p -> draw. The
 * distribution is the one temperature.ts, min-p.ts, top-k.ts, top-p.ts and sample.ts give one
 * after the other, but the whole vocabulary is read as few times as possible:
 *
 *   1. One pass finds the top logit M, or (top_k on) the k largest logits in a small heap.
 *   2. min_p and top_k are thresholds on the raw logit, since temperature keeps the order:
 *      min_p keeps x >= M + T ln(min_p), top_k keeps x >= the k-th largest. One pass gathers the
 *      tokens above the threshold as candidates, with each one's scaled logit computed exactly as
 *      the processors do (float32 x / T) and its weight exp(s - s_max).
 *   3. With neither on, one pass weighs every token (the total mass is exact) but keeps only the
 *      head, the tokens within HEAD of the top, as candidates. top_p's cut lies in the head when
 *      the head's mass reaches p: nothing below it can be kept. Only when it does not (a very
 *      flat distribution) does a second pass gather every token.
 *   4. top_p cuts the candidates (nucleus.ts). One uniform picks a token by cumulative weight:
 *      kept candidates in id order, then (no top_p) the tail in id order, read again only when
 *      the uniform lands there.
 *
 * Only the tokens that can matter get an exp, and the exp is the table-based one (fast-exp.ts).
 */
import { type Candidates, sharedCandidates } from './candidates.ts';
import { expNonPositive } from './fast-exp.ts';
import { NucleusCut } from './nucleus.ts';
import { TopK } from './select.ts';

export interface TruncationOptions {
  /** > 0 (greedy never gets here). */
  readonly temperature: number;
  /** 0 is off. */
  readonly minP: number;
  /** <= 0 or >= the row length is off. */
  readonly topK: number;
  /** 1 is off. */
  readonly topP: number;
}

/** The head of an untruncated distribution: scaled logits within this of the top (weight >= e^-12). */
const HEAD = 12;

export class TruncatedDraw {
  private readonly top = new TopK();
  private readonly cut = new NucleusCut();
  /** The row being drawn from and how it was read (for the tail). */
  private row: Float32Array = new Float32Array(0);
  private inverse = 1;
  private maxScaled = 0;
  /** Tokens with a scaled logit below this are the tail: not candidates, but still drawable. */
  private tailBelow = Number.NEGATIVE_INFINITY;
  /** Mass of the candidates, and of the tail when the draw may land there (no top_p). */
  private headMass = 0;
  private tailMass = 0;
  /** Index of a +Infinity logit, which takes all the mass; -1 when there is none. */
  private infinite = -1;

  constructor(
    private readonly options: TruncationOptions,
    private readonly candidates: Candidates = sharedCandidates,
  ) {}

  /** Builds the distribution of a (processed) logits row; false when every token is masked. */
  prepare(row: Float32Array): boolean {
    const { temperature, minP, topK, topP } = this.options;
    const n = row.length;
    const inverse = 1 / temperature;
    const topKOn = topK > 0 && topK < n;
    this.row = row;
    this.inverse = inverse;
    this.infinite = -1;

    let max: number;
    let kth = Number.NEGATIVE_INFINITY;
    if (topKOn) {
      this.top.select(row, topK);
      max = this.top.max();
      kth = this.top.kth(topK);
    } else {
      max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) if (row[i] > max) max = row[i];
    }
    if (max === Number.NEGATIVE_INFINITY) return false;
    if (max === Number.POSITIVE_INFINITY) {
      this.infinite = row.indexOf(max);
      return true;
    }
    const maxScaled = Math.fround(max * inverse);
    this.maxScaled = maxScaled;

    // Thresholds on the scaled logit s = fround(x / T), as the processors apply them.
    let exact = Number.NEGATIVE_INFINITY;
    let raw = Number.NEGATIVE_INFINITY;
    if (minP > 0) {
      exact = maxScaled + Math.log(minP);
      raw = max + temperature * Math.log(minP);
    }
    if (topKOn && kth > Number.NEGATIVE_INFINITY) {
      exact = Math.max(exact, Math.fround(kth * inverse));
      raw = Math.max(raw, kth);
    }
    if (exact > Number.NEGATIVE_INFINITY) {
      this.gather(row, raw, exact, false);
    } else {
      this.gather(row, Number.NEGATIVE_INFINITY, maxScaled - HEAD, true);
      if (topP < 1 && this.headMass < topP * (this.headMass + this.tailMass)) {
        this.gather(row, Number.NEGATIVE_INFINITY, -Number.MAX_VALUE, false);
      }
    }
    this.cut.find(this.candidates, this.headMass + this.tailMass, topP);
    if (topP < 1) this.tailMass = 0;
    return true;
  }

  /**
   * One pass: candidates are the tokens with s >= exact (tested on the raw x >= raw first, a
   * wider and cheaper test). With `weighTail`, every other unmasked token is weighed into
   * tailMass and below `exact` is where the tail starts.
   */
  private gather(row: Float32Array, raw: number, exact: number, weighTail: boolean): void {
    const { inverse, maxScaled, candidates } = this;
    // Widen the raw test by far more than float32 rounding; the exact test decides.
    if (Number.isFinite(raw)) raw -= 1e-5 * (Math.abs(raw) + Math.abs(maxScaled / inverse) + 1);
    const n = row.length;
    candidates.reserve(n);
    const { ids, values, weights } = candidates;
    let count = 0;
    let head = 0;
    let tail = 0;
    if (!weighTail) {
      for (let i = 0; i < n; i++) {
        const x = row[i];
        if (!(x >= raw)) continue;
        const s = Math.fround(x * inverse);
        if (!(s >= exact)) continue;
        const w = expNonPositive(s - maxScaled);
        ids[count] = i;
        values[count] = s;
        weights[count++] = w;
        head += w;
      }
    } else {
      for (let i = 0; i < n; i++) {
        const x = row[i];
        if (!(x > Number.NEGATIVE_INFINITY)) continue;
        const s = Math.fround(x * inverse);
        const w = expNonPositive(s - maxScaled);
        if (s >= exact) {
          ids[count] = i;
          values[count] = s;
          weights[count++] = w;
          head += w;
        } else {
          tail += w;
        }
      }
    }
    candidates.count = count;
    this.headMass = head;
    this.tailMass = tail;
    this.tailBelow = weighTail ? exact : Number.NEGATIVE_INFINITY;
  }

  /** The index drawn by a uniform u in [0, 1) from the prepared distribution. */
  draw(u: number): number {
    if (this.infinite >= 0) return this.infinite;
    const { cut } = this;
    const { count, ids, values, weights } = this.candidates;
    const target = u * (cut.mass + this.tailMass);
    let cumulative = 0;
    let last = 0;
    for (let j = 0; j < count; j++) {
      if (!cut.keeps(values[j], ids[j])) continue;
      cumulative += weights[j];
      last = ids[j];
      if (target < cumulative) return last;
    }
    if (this.tailMass > 0) {
      // The tail, in id order, weighed exactly as in `gather`.
      const { row, inverse, maxScaled, tailBelow } = this;
      for (let i = 0; i < row.length; i++) {
        const x = row[i];
        if (!(x > Number.NEGATIVE_INFINITY)) continue;
        const s = Math.fround(x * inverse);
        if (s >= tailBelow) continue;
        const w = expNonPositive(s - maxScaled);
        if (w === 0) continue;
        cumulative += w;
        last = i;
        if (target < cumulative) return last;
      }
    }
    return last; // rounding: u landed on the very end
  }

  /** The prepared distribution as probabilities by index (for tests; allocates). */
  probabilities(): Map<number, number> {
    const out = new Map<number, number>();
    if (this.infinite >= 0) return out.set(this.infinite, 1);
    const mass = this.cut.mass + this.tailMass;
    const { count, ids, values, weights } = this.candidates;
    for (let j = 0; j < count; j++) {
      if (this.cut.keeps(values[j], ids[j]) && weights[j] > 0) out.set(ids[j], weights[j] / mass);
    }
    if (this.tailMass > 0) {
      const { row, inverse, maxScaled, tailBelow } = this;
      for (let i = 0; i < row.length; i++) {
        const s = Math.fround(row[i] * inverse);
        if (!(s < tailBelow)) continue;
        const w = expNonPositive(s - maxScaled);
        if (w > 0) out.set(i, w / mass);
      }
    }
    return out;
  }
}
