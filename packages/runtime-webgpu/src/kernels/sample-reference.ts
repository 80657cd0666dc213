/**
 * The CPU twin of the device sampler, written from the engine's sampler chain semantics
 * (packages/engine/src/sampling): raw logprobs from the unprocessed row; greedy = argmax with ties
 * to the lowest id; otherwise temperature, top-k (keep >= k-th largest), top-p (vLLM: keep a
 * token while the mass ranked above it is < p, ties ranked by lower id), then the inverse CDF at
 * `uniform` over the survivors in id order. Plain sorting, double precision: slow but obvious.
 * Without `logprob` the logprob is NaN and there are no top entries, as the device reports.
 * A mask (`allowed`) takes the disallowed tokens out of the draw (-Infinity, as the engine's
 * applyBitmask), and additions (`bias`) are added for the draw; neither touches the raw logprobs.
 */
import type { DeviceSampling, SampledToken } from '@cinder/engine';
import { GREEDY_TEMPERATURE } from './sample.ts';

export function sampleReference(row: Float32Array, draw: DeviceSampling): SampledToken {
  const n = row.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) max = Math.max(max, row[i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(row[i] - max);
  const lse = max + Math.log(sum);
  const ranked = Array.from({ length: n }, (_, i) => i).sort((a, b) => row[b] - row[a] || a - b);
  const topN = draw.logprob ? draw.topLogprobs : 0;
  const top = ranked.slice(0, topN).map((id) => ({ id, logprob: row[id] - lse }));

  const { allowed } = draw;
  const ok = (i: number) => !allowed || (((allowed[i >> 5] ?? 0) >>> (i & 31)) & 1) === 1;
  const drawn = row.slice();
  for (const [id, delta] of draw.bias ?? [])
    if (id >= 0 && id < n) drawn[id] = Math.fround(drawn[id] + delta);
  let token = -1;
  for (let i = 0; i < n; i++) if (ok(i) && (token < 0 || drawn[i] > drawn[token])) token = i;
  if (draw.temperature >= GREEDY_TEMPERATURE) {
    const inverse = 1 / draw.temperature;
    const scaled = drawn.map((v) => v * inverse);
    const kept = Array.from({ length: n }, (_, i) => ok(i));
    if (draw.topK > 0 && draw.topK < n) {
      const values = [...scaled].filter((_, i) => kept[i]).sort((a, b) => b - a);
      const kth = values[draw.topK - 1] ?? Number.NEGATIVE_INFINITY;
      for (let i = 0; i < n; i++) kept[i] = kept[i] && scaled[i] >= kth;
    }
    let smax = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) if (ok(i)) smax = Math.max(smax, scaled[i]);
    const weight = (i: number) => Math.exp(scaled[i] - smax);
    if (draw.topP < 1) {
      const order = Array.from({ length: n }, (_, i) => i)
        .filter((i) => kept[i])
        .sort((a, b) => scaled[b] - scaled[a] || a - b);
      const target = draw.topP * order.reduce((s, i) => s + weight(i), 0);
      let above = 0;
      for (const i of order) {
        if (above < target) above += weight(i);
        else kept[i] = false;
      }
    }
    let total = 0;
    let last = 0;
    for (let i = 0; i < n; i++) {
      if (kept[i]) {
        total += weight(i);
        last = i;
      }
    }
    const u = draw.uniform * total;
    let cumulative = 0;
    token = last;
    for (let i = 0; i < n; i++) {
      if (!kept[i]) continue;
      cumulative += weight(i);
      if (u < cumulative) {
        token = i;
        break;
      }
    }
  }
  return { token, logprob: draw.logprob ? row[token] - lse : Number.NaN, top };
}
