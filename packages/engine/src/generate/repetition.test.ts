import { describe, expect, it } from 'vitest';
import { endsInRepetition } from './repetition.ts';

describe('endsInRepetition', () => {
  const rule = { minPatternSize: 1, maxPatternSize: 3, minCount: 3 };

  it('finds a pattern repeated min_count times at the end', () => {
    expect(endsInRepetition([9, 1, 2, 1, 2, 1, 2], rule)).toBe(true);
    expect(endsInRepetition([5, 5, 5], rule)).toBe(true);
    expect(endsInRepetition([7, 1, 2, 3, 1, 2, 3, 1, 2, 3], rule)).toBe(true);
  });

  it('ignores fewer repeats, longer patterns and repeats not at the end', () => {
    expect(endsInRepetition([1, 2, 1, 2], rule)).toBe(false);
    expect(endsInRepetition([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], rule)).toBe(false);
    expect(endsInRepetition([5, 5, 5, 6], rule)).toBe(false);
    expect(endsInRepetition([5, 5], { ...rule, minPatternSize: 2 })).toBe(false);
  });
});
