/**
 * Greedy continuations and logprobs returned by the server (with `return_token_ids`) against an
 * independent numpy implementation of the same architectures, on every fixture: identical tokens
 * and logprobs within 1e-3. (The WebGPU runtime: reference-webgpu.test.ts.)
 */
import { defaultFixturesDir, ensureFixtures, type FixtureInfo } from '@cinder/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectMatchesReference, requestGreedy } from './support/greedy-check.ts';
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
    const run = await requestGreedy(server.baseURL, name, prompt, STEPS);
    const dir = fixtures.find((fixture) => fixture.name === name)!.dir;
    const reference = runReference(python, dir, run.promptIds, STEPS);
    const { compared } = expectMatchesReference(run, reference, 1e-3);
    expect(compared).toBeGreaterThan(0);
  });
});
