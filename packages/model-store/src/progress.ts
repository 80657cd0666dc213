import type { DownloadProgress } from './types.ts';

/**
 * Turns per-file byte counts into `DownloadProgress` reports: the file that moved plus totals and
 * the average rate of this attempt. Reports are throttled to one per `intervalMs` per file, except
 * that a file reaching its size is always reported, so the last report of a download has
 * `loaded === total`. Bytes kept from an earlier attempt count toward `loaded`, not toward the rate.
 */
export class ProgressTracker {
  private readonly loaded = new Map<string, number>();
  private readonly sizes = new Map<string, number>();
  private readonly lastReport = new Map<string, number>();
  private readonly started: number;
  private fetched = 0;

  constructor(
    private readonly id: string,
    /** Every file with its size and the bytes already held for it. */
    files: readonly { name: string; size: number; held: number }[],
    private readonly onProgress: ((progress: DownloadProgress) => void) | undefined,
    private readonly now: () => number = () => performance.now(),
    private readonly intervalMs = 50,
  ) {
    for (const file of files) {
      this.sizes.set(file.name, file.size);
      this.loaded.set(file.name, file.held);
    }
    this.started = now();
  }

  /** Bytes already held for a file before any network transfer (kept parts, or the whole file). */
  kept(name: string, bytes: number): void {
    this.loaded.set(name, bytes);
    this.report(name, true);
  }

  /** The file now holds `bytes` bytes, the difference having come over the network. */
  received(name: string, bytes: number): void {
    this.fetched += Math.max(0, bytes - (this.loaded.get(name) ?? 0));
    this.loaded.set(name, bytes);
    this.report(name, bytes === this.sizes.get(name));
  }

  get total(): number {
    return sum(this.sizes.values());
  }

  private report(name: string, force: boolean): void {
    if (!this.onProgress) return;
    const now = this.now();
    if (!force && now - (this.lastReport.get(name) ?? Number.NEGATIVE_INFINITY) < this.intervalMs) return;
    this.lastReport.set(name, now);
    const seconds = (now - this.started) / 1000;
    this.onProgress({
      id: this.id,
      file: { name, loaded: this.loaded.get(name) ?? 0, total: this.sizes.get(name) ?? 0 },
      loaded: sum(this.loaded.values()),
      total: this.total,
      rate: seconds > 0 ? this.fetched / seconds : 0,
    });
  }
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
