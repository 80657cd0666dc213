import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, formatRate, percent } from './format.ts';

describe('format', () => {
  it('bytes in decimal units', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(812_000)).toBe('812 kB');
    expect(formatBytes(271_200_000)).toBe('271 MB');
    expect(formatBytes(12_345_678)).toBe('12.3 MB');
    expect(formatBytes(1_514_700_000)).toBe('1.51 GB');
    expect(formatBytes(Number.NaN)).toBe('?');
  });

  it('durations, rates and percentages', () => {
    expect(formatDuration(123.4)).toBe('123 ms');
    expect(formatDuration(1234)).toBe('1.23 s');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatRate(5.25)).toBe('5.3 tok/s');
    expect(formatRate(35.4)).toBe('35 tok/s');
    expect(percent(50, 200)).toBe('25%');
    expect(percent(5, null)).toBe('0%');
    expect(percent(300, 200)).toBe('100%');
  });
});
