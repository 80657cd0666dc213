/**
 * Where top_p cuts a list of candidates. vLLM's rule: rank tokens by processed logit (descending,
 * ties by lower id first) and keep a token when the mass ranked above it is < p * total; the top
 * token always stays.
 *
 * No sort of the list: one pass buckets candidates by logit (1024 bins between the top logit and
 * 80 below it) and sums each bin's mass; the bin where the running mass crosses p is the only one
 * whose members get sorted. The result is a cut (a logit and an id): a candidate is kept when its
 * logit is above the cut's, or equal to it with an id no higher than the cut's.
 */
import type { Candidates } from './candidates.ts';

const BINS = 1024;
/** Tokens more than this far below the top logit weigh < e^-80 each: they share the last bin. */
const RANGE = 80;

export class NucleusCut {
  value = Number.NEGATIVE_INFINITY;
  id = Number.POSITIVE_INFINITY;
  /** Total weight of the kept candidates. */
  mass = 0;
  /** Whether every candidate is kept (p >= 1, or the cut could not be placed among them). */
  keepsAll = true;
  private readonly binMass = new Float64Array(BINS);
  private readonly members: number[] = [];
  private bins = new Uint16Array(0);

  private binsFor(count: number): Uint16Array {
    if (this.bins.length < count) this.bins = new Uint16Array(count);
    return this.bins;
  }

  /** Whether a candidate with this logit and id survives the last `find`. */
  keeps(value: number, id: number): boolean {
    return value > this.value || (value === this.value && id <= this.id);
  }

  /**
   * Finds the cut for top_p `p`. `total` is the whole distribution's mass: the candidates' own,
   * plus that of any tokens left out of the list, which must all rank below every candidate.
   * When the candidates' mass falls short of p * total the cut is not among them: all are kept.
   */
  find(candidates: Candidates, total: number, p: number): void {
    const { count, ids, values, weights } = candidates;
    this.value = Number.NEGATIVE_INFINITY;
    this.id = Number.POSITIVE_INFINITY;
    this.keepsAll = true;
    let all = 0;
    for (let j = 0; j < count; j++) all += weights[j];
    this.mass = all;
    if (p >= 1 || count === 0) return;

    let max = Number.NEGATIVE_INFINITY;
    let min = Number.POSITIVE_INFINITY;
    for (let j = 0; j < count; j++) {
      const v = values[j];
      if (v > max) max = v;
      if (v < min) min = v;
    }
    const span = Math.min(max - min, RANGE);
    const scale = span > 0 ? (BINS - 1) / span : 0;

    const { binMass } = this;
    const bins = this.binsFor(count);
    binMass.fill(0);
    for (let j = 0; j < count; j++) {
      const x = (max - values[j]) * scale; // clamp before truncating: `| 0` wraps huge values
      const b = x >= BINS - 1 ? BINS - 1 : x | 0;
      bins[j] = b;
      binMass[b] += weights[j];
    }
    const target = p * total;
    let crossing = -1;
    let above = 0;
    for (let b = 0; b < BINS; b++) {
      if (above + binMass[b] >= target) {
        crossing = b;
        break;
      }
      above += binMass[b];
    }
    if (crossing < 0) return; // the target is out of reach: keep everything

    const { members } = this;
    members.length = 0;
    for (let j = 0; j < count; j++) if (bins[j] === crossing) members.push(j);
    members.sort((a, b) => values[b] - values[a] || ids[a] - ids[b]);
    let mass = above;
    for (let rank = 0; rank < members.length; rank++) {
      if (mass >= target && rank > 0) break; // the first member stays even for p = 0
      const j = members[rank];
      mass += weights[j];
      this.value = values[j];
      this.id = ids[j];
    }
    this.mass = mass;
    this.keepsAll = false;
  }
}
