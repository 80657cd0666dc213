/** Logits traces (a prompt, then a few decode steps) and their largest difference. */
import type { Runtime } from '@cinder/engine';

export type Trace = Float32Array[];

/** Logits of every prompt row, then of 4 decode steps, from a fresh sequence. */
export async function traceLogits(runtime: Runtime, prompt: readonly number[]): Promise<Trace> {
  const sequence = runtime.createSequence();
  const rows = [(await runtime.step([{ sequence, tokens: prompt, logits: 'all' }]))[0].logits];
  for (const token of [7, 100, 3, 250])
    rows.push((await runtime.step([{ sequence, tokens: [token], logits: 'last' }]))[0].logits);
  runtime.release(sequence);
  return rows;
}

/** Largest |a - b| over matching rows; Infinity when the shapes differ or a value is NaN. */
export function maxAbsDiff(a: Trace, b: Trace): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let r = 0; r < a.length; r++) {
    if (a[r].length !== b[r].length) return Number.POSITIVE_INFINITY;
    for (let i = 0; i < a[r].length; i++) {
      const diff = Math.abs(a[r][i] - b[r][i]);
      if (!(diff <= worst)) worst = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
    }
  }
  return worst;
}
