/**
 * Reuse of KV caches across requests. A finished request leaves its sequence here (prompt and
 * generated tokens, as far as they were fed); a new request whose prompt starts with the same
 * tokens, under the same `cache_salt`, forks that cache and prefills only the rest. A multi-turn
 * chat resends its history, so each turn prefills little more than the new message.
 *
 * Entries are kept in least-recently-used order within a token budget; evicted ones are released.
 */
import type { KvSequence, Runtime } from '../runtime/runtime.ts';

interface Entry {
  readonly salt: string;
  readonly tokens: readonly number[];
  readonly sequence: KvSequence;
}

export interface PrefixMatch {
  readonly sequence: KvSequence;
  /** Cached tokens that can be reused (always less than the prompt, so one token is left to run). */
  readonly length: number;
}

export class PrefixCache {
  private entries: Entry[] = [];
  private tokens = 0;

  constructor(
    private readonly runtime: Runtime,
    /** Most tokens kept across all entries. */
    private readonly maxTokens: number,
    /** Shorter matches are not worth a cache copy. */
    private readonly minMatch = 4,
  ) {}

  /** The longest cached prefix of `prompt` under `salt`, or null. */
  match(prompt: readonly number[], salt: string): PrefixMatch | null {
    let best: Entry | null = null;
    let bestLength = 0;
    for (const entry of this.entries) {
      if (entry.salt !== salt) continue;
      const length = commonPrefix(entry.tokens, prompt, prompt.length - 1);
      if (length > bestLength) {
        best = entry;
        bestLength = length;
      }
    }
    if (!best || bestLength < this.minMatch) return null;
    this.touch(best);
    return { sequence: best.sequence, length: bestLength };
  }

  /** Keep `sequence`, which holds `tokens`; the cache now owns it. */
  insert(tokens: readonly number[], salt: string, sequence: KvSequence): void {
    if (tokens.length < this.minMatch || tokens.length > this.maxTokens) {
      this.runtime.release(sequence);
      return;
    }
    // An entry this one extends holds nothing new: replace it.
    for (const entry of [...this.entries]) {
      if (entry.salt === salt && commonPrefix(entry.tokens, tokens, tokens.length) === entry.tokens.length)
        this.remove(entry);
    }
    this.entries.push({ salt, tokens: [...tokens], sequence });
    this.tokens += tokens.length;
    while (this.tokens > this.maxTokens && this.entries.length > 0) this.remove(this.entries[0]);
  }

  /** Release every cached sequence. */
  clear(): void {
    for (const entry of [...this.entries]) this.remove(entry);
  }

  get size(): { entries: number; tokens: number } {
    return { entries: this.entries.length, tokens: this.tokens };
  }

  private touch(entry: Entry): void {
    this.entries.splice(this.entries.indexOf(entry), 1);
    this.entries.push(entry);
  }

  private remove(entry: Entry): void {
    this.entries.splice(this.entries.indexOf(entry), 1);
    this.tokens -= entry.tokens.length;
    this.runtime.release(entry.sequence);
  }
}

function commonPrefix(a: readonly number[], b: readonly number[], limit: number): number {
  const end = Math.min(a.length, b.length, limit);
  let i = 0;
  while (i < end && a[i] === b[i]) i++;
  return i;
}
