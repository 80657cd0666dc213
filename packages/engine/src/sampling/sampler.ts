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
 * `processors` lists the chain and `process` runs it processor by processor (the reference).
 * `sample` gives the same result faster: the edits that touch a few ids (bad words, min tokens,
 * logit bias, penalties) run in place, allowed_token_ids only narrows which ids are read, and
 * the random steps run fused over the head of the distribution (truncated-draw.ts). After
 * `sample` the row's contents are unspecified: take logprobs of the raw row before calling it.
 * One Sampler per sequence: the penalty counts and the random stream belong to it.
 */
import { allowedTokensProcessor } from './allowed-tokens.ts';
import { badWordsProcessor } from './bad-words.ts';
import { logitBiasProcessor } from './logit-bias.ts';
import { minPProcessor } from './min-p.ts';
import { minTokensProcessor } from './min-tokens.ts';
import { penaltiesProcessor } from './penalties.ts';
import { createRng, type Rng } from './rng.ts';
import { argmax } from './sample.ts';
import { temperatureProcessor } from './temperature.ts';
import { topKProcessor } from './top-k.ts';
import { topPProcessor } from './top-p.ts';
import { TruncatedDraw } from './truncated-draw.ts';
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
  /** process + pick, fused (the same distribution, less work); leaves the row's contents unspecified. */
  sample(logits: Float32Array, context: SamplingContext): number;
}

export const GREEDY_EPSILON = 1e-5;

/** Processors that `sample` runs in place; the others are folded into the allowed ids and the draw. */
const IN_PLACE = new Set(['bad-words', 'min-tokens', 'logit-bias', 'penalties']);

export function createSampler(options: SamplerOptions = {}): Sampler {
  const temperature = options.temperature ?? 1;
  const greedy = temperature < GREEDY_EPSILON;
  const minP = options.minP ?? 0;
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  const processors: LogitsProcessor[] = [];

  let allowed: Int32Array | null = null;
  if (options.allowedTokenIds && options.allowedTokenIds.length > 0) {
    processors.push(allowedTokensProcessor(options.allowedTokenIds));
    // For `sample`: ascending, no repeats (ids beyond the row are skipped when narrowing).
    allowed = Int32Array.from(new Set(options.allowedTokenIds.filter((id) => id >= 0))).sort();
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
    if (minP > 0) processors.push(minPProcessor(minP));
    if (topK > 0) processors.push(topKProcessor(topK));
    if (topP < 1) processors.push(topPProcessor(topP));
  }

  const rng = createRng(options.seed);
  const inPlace = processors.filter((processor) => IN_PLACE.has(processor.name));
  const fused = new TruncatedDraw({ temperature, minP, topK, topP });
  const plain = new TruncatedDraw({ temperature: 1, minP: 0, topK: 0, topP: 1 });
  // allowed_token_ids: the values of the allowed ids that fit the row, gathered each step.
  let narrowed = new Float32Array(0);
  let narrowedFor = -1;
  const narrow = (logits: Float32Array, ids: Int32Array): Float32Array => {
    if (narrowedFor !== logits.length) {
      let count = 0;
      while (count < ids.length && ids[count] < logits.length) count++;
      narrowed = new Float32Array(count);
      narrowedFor = logits.length;
    }
    for (let j = 0; j < narrowed.length; j++) narrowed[j] = logits[ids[j]];
    return narrowed;
  };

  /** argmax or a draw over `row`; -1 when every token is masked. */
  const choose = (row: Float32Array, draw: TruncatedDraw): number => {
    if (greedy) {
      const best = argmax(row);
      return row[best] > Number.NEGATIVE_INFINITY ? best : -1;
    }
    return draw.prepare(row) ? draw.draw(rng.nextFloat()) : -1;
  };

  const process = (logits: Float32Array, context: SamplingContext) => {
    for (const processor of processors) processor.apply(logits, context);
  };
  const pick = (logits: Float32Array) => Math.max(choose(logits, plain), 0);
  return {
    greedy,
    rng,
    processors,
    process,
    pick,
    sample(logits, context) {
      for (const processor of inPlace) processor.apply(logits, context);
      if (!allowed) return Math.max(choose(logits, fused), 0);
      // Only the allowed ids are read; they are ascending, so ties still go to the lower id.
      const index = choose(narrow(logits, allowed), fused);
      return index < 0 ? 0 : allowed[index];
    },
  };
}
