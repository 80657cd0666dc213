/**
 * The sampler chain alone, per token, at Qwen3's 151,936-token vocabulary: every processor on
 * (bad_words, min_tokens, logit_bias, presence / frequency / repetition penalties, temperature,
 * min_p, top_k, top_p and the draw), then allowed_token_ids on top (it changes the distribution
 * drastically, so it is its own row), then lighter settings for comparison. The history grows by
 * one token per step, as in a real decode, and every step gets a fresh copy of a logits row
 * (the copy is not timed). Rows look like a model's: a broad bell of logits plus a few strong ones.
 */
import { createSampler, type SamplerOptions } from '@cinder/engine';
import type { Row } from './table.ts';

export interface SamplerBenchOptions {
  readonly vocabSize?: number;
  /** Timed tokens per setting (after a warm-up of the same length). */
  readonly tokens?: number;
}

const PROMPT_TOKENS = 1024;
const ROWS = 16;

export function benchSampler(options: SamplerBenchOptions = {}): Row[] {
  const vocabSize = options.vocabSize ?? 151_936;
  const tokens = options.tokens ?? 300;
  const random = lcg(12345);
  const id = () => Math.floor(random() * vocabSize);
  const rows = Array.from({ length: ROWS }, () => logitsRow(vocabSize, random));
  const promptIds = Array.from({ length: PROMPT_TOKENS }, id);

  const everything: SamplerOptions = {
    temperature: 0.8,
    topP: 0.95,
    topK: 50,
    minP: 0.05,
    presencePenalty: 0.5,
    frequencyPenalty: 0.3,
    repetitionPenalty: 1.1,
    logitBias: new Map(Array.from({ length: 50 }, (_, i) => [id(), i % 2 === 0 ? 5 : -5])),
    seed: 7,
    // Longer than the run, so it is active on every step.
    minTokens: 2 * tokens + 1,
    eosTokenIds: [vocabSize - 1],
    stopTokenIds: [vocabSize - 2, vocabSize - 3],
    badWordsIds: Array.from({ length: 20 }, (_, i) => Array.from({ length: 1 + (i % 3) }, id)),
  };
  const settings: [string, SamplerOptions][] = [
    ['every processor on (all but allowed_token_ids)', everything],
    [
      'every processor on + allowed_token_ids (1,000 ids)',
      { ...everything, allowedTokenIds: Array.from({ length: 1000 }, id) },
    ],
    ['every processor on, top_k off', { ...everything, topK: 0 }],
    ['temperature 0.8', { temperature: 0.8, seed: 7 }],
    ['top_p 0.95', { topP: 0.95, seed: 7 }],
    ['top_p 0.95 + top_k 50', { topP: 0.95, topK: 50, seed: 7 }],
    ['greedy + penalties', { temperature: 0, repetitionPenalty: 1.1, presencePenalty: 0.5 }],
  ];

  return settings.map(([label, sampling]) => {
    const ms = timeSampler(sampling, rows, promptIds, tokens);
    return {
      benchmark: 'sampler chain per token',
      model: `${vocabSize}-token vocab`,
      setting: label,
      result: `${mean(ms).toFixed(3)} ms/token (median ${median(ms).toFixed(3)})`,
    };
  });
}

/** Per-token times of `tokens` steps, after as many untimed warm-up steps. */
function timeSampler(
  options: SamplerOptions,
  rows: readonly Float32Array[],
  promptIds: readonly number[],
  tokens: number,
): number[] {
  const row = new Float32Array(rows[0].length);
  const times: number[] = [];
  for (const timed of [false, true]) {
    const sampler = createSampler(options);
    const generatedIds: number[] = [];
    for (let step = 0; step < tokens; step++) {
      row.set(rows[step % rows.length]);
      const start = performance.now();
      const token = sampler.sample(row, { promptIds, generatedIds, step });
      const end = performance.now();
      generatedIds.push(token);
      if (timed) times.push(end - start);
    }
  }
  return times;
}

/** A bell of logits around 0 (sum of three uniforms, scaled) with ~20 tokens well above it. */
function logitsRow(vocabSize: number, random: () => number): Float32Array {
  const row = new Float32Array(vocabSize);
  for (let i = 0; i < vocabSize; i++) row[i] = (random() + random() + random() - 1.5) * 4;
  for (let j = 0; j < 20; j++) row[Math.floor(random() * vocabSize)] = 8 + random() * 6;
  return row;
}

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
