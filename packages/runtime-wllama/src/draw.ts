/**
 * The engine's device draw (DeviceSampling) over a list of candidates with raw logprobs, in double
 * precision: temperature, top-k (keep >= the k-th largest), top-p (vLLM: keep a token while the
 * mass ranked above it is < p, ties ranked by lower id), then the inverse CDF at `uniform` over the
 * survivors in id order. Exact when the list holds every token top-k can keep (the k most likely),
 * which is how the runtime uses it; greedy is the most likely token, ties to the lowest id.
 */
import type { DeviceSampling } from '@cinder/engine';

export interface Candidate {
  readonly id: number;
  readonly logprob: number;
}

/** Temperatures below this draw greedily (the engine's rule). */
export const GREEDY_TEMPERATURE = 1e-5;

export function drawToken(candidates: readonly Candidate[], draw: DeviceSampling): number {
  if (candidates.length === 0) throw new RangeError('No candidates to draw from');
  const ranked = [...candidates].sort((a, b) => b.logprob - a.logprob || a.id - b.id);
  if (draw.temperature < GREEDY_TEMPERATURE) return ranked[0].id;

  const inverse = 1 / draw.temperature;
  let kept = ranked;
  if (draw.topK > 0 && draw.topK < ranked.length) {
    const kth = ranked[draw.topK - 1].logprob;
    kept = ranked.filter((c) => c.logprob >= kth);
  }
  const top = kept[0].logprob * inverse;
  const weight = (c: Candidate) => Math.exp(c.logprob * inverse - top);
  if (draw.topP < 1) {
    const target = draw.topP * kept.reduce((sum, c) => sum + weight(c), 0);
    let above = 0;
    const nucleus: Candidate[] = [];
    for (const c of kept) {
      if (above >= target) break;
      above += weight(c);
      nucleus.push(c);
    }
    kept = nucleus;
  }
  const inIdOrder = [...kept].sort((a, b) => a.id - b.id);
  const u = draw.uniform * inIdOrder.reduce((sum, c) => sum + weight(c), 0);
  let cumulative = 0;
  for (const c of inIdOrder) {
    cumulative += weight(c);
    if (u < cumulative) return c.id;
  }
  return inIdOrder[inIdOrder.length - 1].id;
}
