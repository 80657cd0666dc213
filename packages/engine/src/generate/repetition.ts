/**
 * vLLM's `repetition_detection`: the output ends when its last tokens are one pattern of
 * `minPatternSize..maxPatternSize` tokens repeated `minCount` times in a row (a model stuck in a loop).
 */
export interface RepetitionRule {
  readonly minPatternSize: number;
  readonly maxPatternSize: number;
  readonly minCount: number;
}

export function endsInRepetition(tokens: readonly number[], rule: RepetitionRule): boolean {
  const from = Math.max(1, rule.minPatternSize);
  for (let size = from; size <= rule.maxPatternSize; size++) {
    const span = size * rule.minCount;
    if (span > tokens.length) break;
    const start = tokens.length - span;
    let repeats = true;
    for (let i = start + size; i < tokens.length && repeats; i++) repeats = tokens[i] === tokens[i - size];
    if (repeats) return true;
  }
  return false;
}
