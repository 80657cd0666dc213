/**
 * Speed of a loaded wllama runtime, for the bench: prefill and decode through Runtime.step (greedy
 * draws on the device, the engine's hot path), and wllama's own createCompletion decoding the same
 * number of tokens from the same prompt in one request. The difference per token is what driving
 * llama-server one completion per token costs (a worker round trip, the prompt sent again, one
 * slot launch). Timings are wall clock; run it on a quiet machine.
 */
import type { DeviceSampling } from '@cinder/engine';
import type { WllamaRuntime } from './runtime.ts';
import { idsToText } from './token-text.ts';

export interface WllamaBenchOptions {
  /** Prompt length. Default 128. */
  readonly promptTokens?: number;
  /** Tokens decoded after the prompt. Default 32. */
  readonly decodeTokens?: number;
  /** Varies the prompt, so a repeated run does not find it in llama-server's prompt cache. Default 0. */
  readonly salt?: number;
}

export interface WllamaBenchResult {
  /** Prompt tokens per second of one step that evaluates the prompt and draws. */
  readonly prefillTokensPerSecond: number;
  /** Tokens per second of one-token steps (device draws). */
  readonly decodeTokensPerSecond: number;
  /** Tokens per second of wllama's createCompletion decoding as many tokens in one request. */
  readonly wllamaDecodeTokensPerSecond: number;
  /** llama-server's own decode time per token in that request (its `timings`). */
  readonly serverDecodeMsPerToken: number | null;
  /** Per-token cost of a step over createCompletion's per-token time (ms). */
  readonly stepOverheadMs: number;
  /** Streamed completions the decode steps used (lookahead; 0 when off). */
  readonly streams: number;
}

/**
 * A plain greedy draw (the engine's GREEDY_DEVICE_SAMPLING), written out because a value import of
 * @cinder/engine would pull the whole engine (and xgrammar's Node build) into the test page's bundle.
 */
const GREEDY: DeviceSampling = {
  temperature: 0,
  topK: 0,
  topP: 1,
  uniform: 0,
  logprob: false,
  topLogprobs: 0,
};

export async function benchWllama(
  runtime: WllamaRuntime,
  options: WllamaBenchOptions = {},
): Promise<WllamaBenchResult> {
  const promptTokens = options.promptTokens ?? 128;
  const decodeTokens = options.decodeTokens ?? 32;
  const vocab = runtime.model.vocabSize;
  const prompt = Array.from(
    { length: promptTokens },
    (_, i) => (i * 7919 + 13 + (options.salt ?? 0) * 104729) % vocab,
  );

  const sequence = runtime.createSequence();
  let started = performance.now();
  let [out] = await runtime.step([{ sequence, tokens: prompt, logits: 'none', sample: GREEDY }]);
  const prefillMs = performance.now() - started;
  const streamsBefore = runtime.lookahead?.started ?? 0;
  started = performance.now();
  for (let i = 0; i < decodeTokens; i++) {
    const token = out.sampled?.token ?? 0;
    [out] = await runtime.step([{ sequence, tokens: [token], logits: 'none', sample: GREEDY }]);
  }
  const decodeMs = performance.now() - started;
  const streams = (runtime.lookahead?.started ?? 0) - streamsBefore;
  runtime.release(sequence);

  // The prompt is in llama-server's cache now: this request decodes almost only.
  started = performance.now();
  const response = await runtime.completions.complete({
    prompt: idsToText(prompt),
    n_predict: decodeTokens,
    cache_prompt: true,
    samplers: ['top_k'],
    top_k: 1,
    temperature: 0,
    // All the tokens asked for (a random model's end-of-generation token would stop it early).
    ignore_eos: true,
  });
  const wllamaMs = performance.now() - started;
  const timings = (response as { timings?: { predicted_per_token_ms?: number } }).timings;

  const stepMs = decodeMs / decodeTokens;
  const ownMs = wllamaMs / decodeTokens;
  return {
    prefillTokensPerSecond: (promptTokens * 1000) / prefillMs,
    decodeTokensPerSecond: 1000 / stepMs,
    wllamaDecodeTokensPerSecond: 1000 / ownMs,
    serverDecodeMsPerToken: timings?.predicted_per_token_ms ?? null,
    stepOverheadMs: stepMs - ownMs,
    streams,
  };
}
