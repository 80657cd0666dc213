import { describe, expect, it } from 'vitest';
import { ProgressTracker } from './progress.ts';
import type { DownloadProgress } from './types.ts';

function tracker(intervalMs = 50) {
  let clock = 0;
  const reports: DownloadProgress[] = [];
  const files = [
    { name: 'a', size: 100, held: 0 },
    { name: 'b', size: 1000, held: 0 },
  ];
  const progress = new ProgressTracker(
    'm',
    files,
    (p) => reports.push(p),
    () => clock,
    intervalMs,
  );
  return { progress, reports, advance: (ms: number) => (clock += ms) };
}

describe('ProgressTracker', () => {
  it('reports the moved file and totals, with the rate of this attempt only', () => {
    const { progress, reports, advance } = tracker();
    progress.kept('b', 400);
    advance(1000);
    progress.received('b', 600);
    expect(reports.at(-1)).toEqual({
      id: 'm',
      file: { name: 'b', loaded: 600, total: 1000 },
      loaded: 600,
      total: 1100,
      rate: 200,
    });
  });

  it('counts bytes held from the start', () => {
    const reports: DownloadProgress[] = [];
    const files = [
      { name: 'a', size: 100, held: 100 },
      { name: 'b', size: 1000, held: 300 },
    ];
    new ProgressTracker(
      'm',
      files,
      (p) => reports.push(p),
      () => 0,
    ).received('b', 310);
    expect(reports[0]).toMatchObject({ loaded: 410, total: 1100 });
  });

  it('throttles per file but always reports a finished file', () => {
    const { progress, reports, advance } = tracker();
    progress.received('a', 10);
    progress.received('a', 20);
    progress.received('a', 30);
    expect(reports).toHaveLength(1);
    advance(60);
    progress.received('a', 40);
    progress.received('a', 100);
    expect(reports.map((r) => r.file.loaded)).toEqual([10, 40, 100]);
    progress.received('b', 1000);
    expect(reports.at(-1)).toMatchObject({ loaded: 1100, total: 1100 });
  });
});
