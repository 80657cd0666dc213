/** Builds the token sampler of one choice: the sampling chain of ../sampling, fed the choice's history. */
import type { SamplingSettings } from '../request/plan.ts';
import { createSampler } from '../sampling/index.ts';
import type { TokenSampler } from './choice-state.ts';

export function buildSampler(settings: SamplingSettings, choiceIndex: number, promptIds: readonly number[]): TokenSampler {
  const sampler = createSampler({
    ...settings,
    // Choice i of a seeded request draws from seed + i: its own stream, and choice 0 matches n = 1.
    seed: settings.seed === null ? null : BigInt(settings.seed) + BigInt(choiceIndex),
  });
  return {
    next(logits, generatedIds) {
      return sampler.sample(logits, { promptIds, generatedIds, step: generatedIds.length });
    },
  };
}
