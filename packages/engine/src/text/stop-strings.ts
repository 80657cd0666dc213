/**
 * Streaming stop-string matcher. Feed it the text deltas the detokenizer produces; it returns
 * the part that is safe to stream now and whether a stop string has been completed.
 *
 * - Text that could be the start of a stop string is held back (at most maxStopLength - 1
 *   UTF-16 units), so nothing is ever streamed and then taken back.
 * - On a match, `emit` ends just before the stop string, or just after it with
 *   `includeStopStringInOutput`. Then the matcher is done; later feeds return nothing.
 * - When several stop strings match, the one that starts first wins (the longest on a tie).
 *   vLLM instead takes the first one in list order that matches; the two only differ when one
 *   delta completes two different stop strings.
 * - With `includeStopStringInOutput` nothing needs holding back (a partial stop string is
 *   output either way), as in vLLM.
 */

export interface StopMatch {
  readonly stop: string;
}

export interface StopFeedResult {
  /** Text to stream now. */
  readonly emit: string;
  /** Set once a stop string has matched; generation should end. */
  readonly stopped: StopMatch | null;
}

export interface StopMatcherOptions {
  readonly includeStopStringInOutput?: boolean;
}

export class StopStringMatcher {
  private readonly stops: readonly string[];
  private readonly include: boolean;
  private readonly keep: number;
  /** Last `keep` UTF-16 units of everything fed (emitted or held), the only place a match can start. */
  private window = '';
  /** How many units at the end of `window` are held back (not emitted yet). */
  private held = 0;
  private done: StopMatch | null = null;

  constructor(stops: readonly string[], options: StopMatcherOptions = {}) {
    this.stops = stops.filter((s) => s.length > 0);
    this.include = options.includeStopStringInOutput ?? false;
    this.keep = Math.max(0, ...this.stops.map((s) => s.length - 1));
  }

  get stopped(): StopMatch | null {
    return this.done;
  }

  feed(delta: string): StopFeedResult {
    if (this.done) return { emit: '', stopped: this.done };
    if (this.stops.length === 0) return { emit: delta, stopped: null };
    const text = this.window + delta;
    const emittedUpTo = this.window.length - this.held;

    const match = this.findMatch(text, this.window.length);
    if (match) {
      this.done = { stop: match.stop };
      const end = this.include ? match.index + match.stop.length : match.index;
      return { emit: text.slice(emittedUpTo, Math.max(end, emittedUpTo)), stopped: this.done };
    }

    const hold = this.include ? 0 : this.partialSuffix(text);
    this.window = text.slice(Math.max(0, text.length - Math.max(this.keep, hold)));
    this.held = hold;
    return { emit: text.slice(emittedUpTo, text.length - hold), stopped: null };
  }

  /** End of generation without a stop: release anything held back. */
  flush(): string {
    if (this.done || this.held === 0) return '';
    const rest = this.window.slice(this.window.length - this.held);
    this.held = 0;
    return rest;
  }

  /** Earliest match that ends in the new text (the old window holds no complete match). */
  private findMatch(text: string, newFrom: number): { stop: string; index: number } | null {
    let best: { stop: string; index: number } | null = null;
    for (const stop of this.stops) {
      const index = text.indexOf(stop, Math.max(0, newFrom - stop.length + 1));
      if (index < 0) continue;
      if (!best || index < best.index || (index === best.index && stop.length > best.stop.length)) {
        best = { stop, index };
      }
    }
    return best;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some stop string. */
  private partialSuffix(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let k = Math.min(stop.length - 1, text.length); k > longest; k--) {
        if (text.endsWith(stop.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }
}
