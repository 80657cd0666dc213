/**
 * Builds the token sampler of one choice from the request's sampling settings.
 * (Interim: greedy and temperature only, until the sampler chain in ../sampling lands.)
 */
import type { SamplingSettings } from '../request/plan.ts';
import type { TokenSampler } from './choice-state.ts';

export function buildSampler(
  settings: SamplingSettings,
  choiceIndex: number,
  _promptIds: readonly number[],
): TokenSampler {
  let state = ((settings.seed ?? Math.floor(Math.random() * 2 ** 31)) + choiceIndex * 0x9e3779b9) >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next(logits) {
      let best = 0;
      for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
      if (settings.temperature < 1e-5) return best;
      const max = logits[best];
      let sum = 0;
      for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] - max) / settings.temperature);
      let r = random() * sum;
      for (let i = 0; i < logits.length; i++) {
        r -= Math.exp((logits[i] - max) / settings.temperature);
        if (r <= 0) return i;
      }
      return best;
    },
  };
}
