/**
 * The greedy-continuation check the reference tests share: ask a server for greedy tokens with
 * logprobs and `return_token_ids`, then compare them with the numpy reference on the same prompt
 * ids: identical tokens and logprobs within a tolerance, up to the first near-tie.
 */
import { expect } from 'vitest';
import type { ReferenceResult } from './python-reference.ts';

export interface GreedyRun {
  readonly promptIds: readonly number[];
  readonly tokens: readonly number[];
  readonly logprobs: readonly number[];
}

interface CompletionBody {
  prompt_token_ids: number[];
  choices: { token_ids: number[]; logprobs: { content: { logprob: number }[] } }[];
}

/** `steps` greedy tokens (EOS ignored) for one user message, from `${baseURL}/chat/completions`. */
export async function requestGreedy(
  baseURL: string,
  model: string,
  prompt: string,
  steps: number,
): Promise<GreedyRun> {
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model,
      messages: [{ role: 'user', content: prompt }],
      max_tokens: steps,
      temperature: 0,
      ignore_eos: true,
      logprobs: true,
      return_token_ids: true,
    }),
  });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  const body = JSON.parse(text) as CompletionBody;
  const choice = body.choices[0];
  return {
    promptIds: body.prompt_token_ids,
    tokens: choice.token_ids,
    logprobs: choice.logprobs.content.map((entry) => entry.logprob),
  };
}

/** Margin (top logit minus runner-up) under which two implementations may legitimately diverge. */
const NEAR_TIE = 1e-4;

export interface ReferenceMatch {
  /** Largest |Δ logprob| over the compared steps. */
  readonly maxLogprobDiff: number;
  /** Steps compared: all of them, or up to and including the first near-tie. */
  readonly compared: number;
}

/** Asserts `run` matches `reference` step by step: same token, logprob within `tolerance`. */
export function expectMatchesReference(
  run: GreedyRun,
  reference: ReferenceResult,
  tolerance: number,
): ReferenceMatch {
  const steps = reference.greedy.length;
  expect(run.tokens).toHaveLength(steps);
  let maxLogprobDiff = 0;
  let compared = 0;
  for (let i = 0; i < steps; i++) {
    const expected = reference.greedy[i];
    expect(run.tokens[i], `token ${i}`).toBe(expected.token);
    const diff = Math.abs(run.logprobs[i] - expected.logprob);
    expect(diff, `logprob ${i}`).toBeLessThan(tolerance);
    maxLogprobDiff = Math.max(maxLogprobDiff, diff);
    compared++;
    // Past a near-tie the two implementations may legitimately diverge; stop comparing there.
    if (expected.margin < NEAR_TIE) break;
  }
  return { maxLogprobDiff, compared };
}
