/**
 * Stop strings while streaming. WebLLM cuts a stop string only once all of it has been decoded,
 * after it may already have streamed the beginning of it (notes §2.6). Here the text that could
 * still become a stop string is held back, and the text is cut at the first stop string, so a stop
 * string is never streamed and then taken back, as in cinder's runtime. When the stream ends, the
 * rest comes from WebLLM's final message (`getMessage()`), which also carries characters WebLLM
 * withheld as incomplete UTF-8.
 */

export class StopHoldback {
  readonly #stops: readonly string[];
  #text = '';
  #sent = 0;
  #cut: number | null = null;

  constructor(stops: readonly string[]) {
    this.#stops = stops.filter((s) => s.length > 0);
  }

  /** Adds streamed text; returns what can be sent now ('' when all of it is held back). */
  push(delta: string): string {
    if (this.#cut !== null) return '';
    this.#text += delta;
    return this.#advance(false);
  }

  /** The rest to send once generation ended, given WebLLM's final message. */
  finish(finalMessage: string): string {
    if (this.#cut === null && finalMessage.startsWith(this.#text.slice(0, this.#sent))) {
      this.#text = finalMessage;
    }
    return this.#advance(true);
  }

  get sent(): string {
    return this.#text.slice(0, this.#sent);
  }

  #advance(final: boolean): string {
    const cut = this.#cut ?? this.#firstStop();
    let end: number;
    if (cut !== null) {
      this.#cut = cut;
      end = cut;
    } else {
      end = final ? this.#text.length : this.#text.length - this.#partialStopLength();
    }
    if (end <= this.#sent) return '';
    const out = this.#text.slice(this.#sent, end);
    this.#sent = end;
    return out;
  }

  #firstStop(): number | null {
    let first: number | null = null;
    for (const stop of this.#stops) {
      const at = this.#text.indexOf(stop, Math.max(0, this.#sent - stop.length + 1));
      if (at !== -1 && (first === null || at < first)) first = at;
    }
    return first;
  }

  /** Length of the longest end of the text that is a proper beginning of a stop string. */
  #partialStopLength(): number {
    let longest = 0;
    for (const stop of this.#stops) {
      for (let n = Math.min(stop.length - 1, this.#text.length); n > longest; n--) {
        if (this.#text.endsWith(stop.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
