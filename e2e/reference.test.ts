/**
 * Greedy continuations and logprobs returned by the server (with `return_token_ids`) against an
 * independent numpy implementation of the same architectures, on every fixture: identical tokens
 * and logprobs within 1e-3.
 */
import { defaultFixturesDir, ensureFixtures, type FixtureInfo } from '@cinder/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPython, runReference } from './support/python-reference.ts';
import { startFixtureServer, type TestServer } from './support/server.ts';

const STEPS = 8;
let server: TestServer;
let fixtures: FixtureInfo[];
let python: string;

beforeAll(async () => {
  python = findPython();
  fixtures = await ensureFixtures(defaultFixturesDir());
  server = await startFixtureServer();
});
afterAll(() => server?.close());

const prompts = ['Hello, who are you?', 'Write one line about the sea. 海はきれい 🌊'];

describe.each(['tiny-llama', 'tiny-qwen3', 'tiny-qwen2', 'tiny-smollm2'])('%s', (name) => {
  it.each(prompts)('greedy tokens and logprobs match the numpy reference: %s', async (prompt) => {
    const response = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: name,
        messages: [{ role: 'user', content: prompt }],
        max_tokens: STEPS,
        temperature: 0,
        ignore_eos: true,
        logprobs: true,
        return_token_ids: true,
      }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    const choice = body.choices[0];
    const dir = fixtures.find((fixture) => fixture.name === name)!.dir;
    const reference = runReference(python, dir, body.prompt_token_ids, STEPS);

    expect(choice.token_ids).toHaveLength(STEPS);
    for (let i = 0; i < STEPS; i++) {
      const expected = reference.greedy[i];
      expect(choice.token_ids[i], `token ${i}`).toBe(expected.token);
      expect(Math.abs(choice.logprobs.content[i].logprob - expected.logprob), `logprob ${i}`).toBeLessThan(
        1e-3,
      );
      // Past a near-tie the two implementations may legitimately diverge; stop comparing there.
      if (expected.margin < 1e-4) break;
    }
  });
});
