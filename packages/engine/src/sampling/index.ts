/** Sampling: logits processors, the sampler chain, seeded randomness, logprobs. */
export { allowedTokensProcessor } from './allowed-tokens.ts';
export { badWordsProcessor } from './bad-words.ts';
export { logitBiasProcessor } from './logit-bias.ts';
export {
  computeLogprobs,
  logSoftmax,
  logSumExp,
  rowLogprobs,
  type TokenLogprob,
  tokenLogprob,
  topLogprobs,
} from './logprobs.ts';
export { minPProcessor } from './min-p.ts';
export { minTokensProcessor } from './min-tokens.ts';
export { type PenaltyOptions, penaltiesProcessor } from './penalties.ts';
export { createRng, type Rng, xoshiro128ss } from './rng.ts';
export { argmax, sampleCategorical } from './sample.ts';
export { createSampler, GREEDY_EPSILON, type Sampler, type SamplerOptions } from './sampler.ts';
export { kthLargest, topKIndices } from './select.ts';
export { temperatureProcessor } from './temperature.ts';
export { topKProcessor } from './top-k.ts';
export { topPProcessor } from './top-p.ts';
export type { LogitsProcessor, SamplingContext } from './types.ts';
