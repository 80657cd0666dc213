/**
 * Builds the sampling chain for one sequence from plain options, in vLLM's order:
 *
 *   allowed_token_ids -> bad_words -> min_tokens -> logit_bias -> penalties
 *   -> (random sampling only) temperature -> min_p -> top_k -> top_p -> draw
 *
 * Temperature below 1e-5 means greedy (vLLM's epsilon): the random-only steps are left out and
 * the pick is the argmax (ties to the lowest id). Processors that would do nothing (top_p 1,
 * top_k 0/-1, penalties 0, ...) are not added, so a plain request pays for the draw only.
 *
 * `sample` edits the logits row in place; take logprobs of the raw row before calling it.
 * One Sampler per sequence: the penalty counts and the random stream belong to it.
 */
import { allowedTokensProcessor } from './allowed-tokens.ts';
import { badWordsProcessor } from './bad-words.ts';
import { logitBiasProcessor } from './logit-bias.ts';
import { minPProcessor } from './min-p.ts';
import { minTokensProcessor } from './min-tokens.ts';
import { penaltiesProcessor } from './penalties.ts';
import { createRng, type Rng } from './rng.ts';
import { argmax, sampleCategorical } from './sample.ts';
import { temperatureProcessor } from './temperature.ts';
import { topKProcessor } from './top-k.ts';
import { topPProcessor } from './top-p.ts';
import type { LogitsProcessor, SamplingContext } from './types.ts';

export interface SamplerOptions {
  /** Default 1. Below 1e-5: greedy. */
  readonly temperature?: number;
  /** (0, 1]; 1 is off. */
  readonly topP?: number;
  /** 0 or -1 is off. */
  readonly topK?: number;
  /** [0, 1]; 0 is off. */
  readonly minP?: number;
  readonly presencePenalty?: number;
  readonly frequencyPenalty?: number;
  /** 1 is off. */
  readonly repetitionPenalty?: number;
  readonly logitBias?: ReadonlyMap<number, number> | null;
  /** Any integer in [-2^63, 2^63); none: a random stream. */
  readonly seed?: number | bigint | null;
  readonly minTokens?: number;
  readonly stopTokenIds?: readonly number[];
  readonly eosTokenIds?: readonly number[];
  /** EOS does not end generation, so min_tokens need not suppress it. */
  readonly ignoreEos?: boolean;
  readonly allowedTokenIds?: readonly number[] | null;
  /** Tokenized bad words (see bad-words.ts). */
  readonly badWordsIds?: readonly (readonly number[])[] | null;
}

export interface Sampler {
  readonly greedy: boolean;
  readonly rng: Rng;
  readonly processors: readonly LogitsProcessor[];
  /** Run every processor on the row, in place. */
  process(logits: Float32Array, context: SamplingContext): void;
  /** Choose a token from an already processed row. */
  pick(logits: Float32Array): number;
  /** process + pick. */
  sample(logits: Float32Array, context: SamplingContext): number;
}

export const GREEDY_EPSILON = 1e-5;

export function createSampler(options: SamplerOptions = {}): Sampler {
  const temperature = options.temperature ?? 1;
  const greedy = temperature < GREEDY_EPSILON;
  const processors: LogitsProcessor[] = [];

  if (options.allowedTokenIds && options.allowedTokenIds.length > 0) {
    processors.push(allowedTokensProcessor(options.allowedTokenIds));
  }
  if (options.badWordsIds && options.badWordsIds.length > 0)
    processors.push(badWordsProcessor(options.badWordsIds));
  const minTokens = options.minTokens ?? 0;
  const endIds = [...(options.stopTokenIds ?? []), ...(options.ignoreEos ? [] : (options.eosTokenIds ?? []))];
  if (minTokens > 0 && endIds.length > 0) processors.push(minTokensProcessor(minTokens, endIds));
  if (options.logitBias && options.logitBias.size > 0) processors.push(logitBiasProcessor(options.logitBias));
  const presencePenalty = options.presencePenalty ?? 0;
  const frequencyPenalty = options.frequencyPenalty ?? 0;
  const repetitionPenalty = options.repetitionPenalty ?? 1;
  if (presencePenalty !== 0 || frequencyPenalty !== 0 || repetitionPenalty !== 1) {
    processors.push(penaltiesProcessor({ presencePenalty, frequencyPenalty, repetitionPenalty }));
  }
  if (!greedy) {
    if (temperature !== 1) processors.push(temperatureProcessor(temperature));
    const minP = options.minP ?? 0;
    if (minP > 0) processors.push(minPProcessor(minP));
    const topK = options.topK ?? 0;
    if (topK > 0) processors.push(topKProcessor(topK));
    const topP = options.topP ?? 1;
    if (topP < 1) processors.push(topPProcessor(topP));
  }

  const rng = createRng(options.seed);
  let scratch = new Float64Array(0);

  const process = (logits: Float32Array, context: SamplingContext) => {
    for (const processor of processors) processor.apply(logits, context);
  };
  const pick = (logits: Float32Array) => {
    if (greedy) return argmax(logits);
    if (scratch.length < logits.length) scratch = new Float64Array(logits.length);
    return sampleCategorical(logits, rng, scratch);
  };
  return {
    greedy,
    rng,
    processors,
    process,
    pick,
    sample(logits, context) {
      process(logits, context);
      return pick(logits);
    },
  };
}
