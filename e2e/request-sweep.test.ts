/**
 * The request sweep: over a thousand valid and invalid `/v1/chat/completions` requests against the real
 * Node server, written from the API contract (seeds 000/004, vllm-rules.md, openai-schemas.json,
 * sse-notes.md), the way an independent reviewer would probe it. Invalid -> 4xx OpenAI error naming the
 * param; valid -> 200 with schema-valid JSON or SSE (or, for the advanced fields not built yet, 400
 * unsupported_parameter); never a 500, never a hang. Then semantic probes check that fields do what their
 * documentation says. Known bugs are listed in e2e/sweep/known-failures.ts and run as `it.fails`.
 * `SWEEP_REPORT=/tmp/sweep.json` writes every verdict to a file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateAgainstSchema } from '../packages/protocol/src/testing/schema.ts';
import { startFixtureServer, type TestServer } from './support/server.ts';
import { allCases } from './sweep/all-cases.ts';
import { baseBody, CHAT_PATH, type ModelName, type SweepCase } from './sweep/case.ts';
import { chatClient } from './sweep/chat-client.ts';
import { judge } from './sweep/judge.ts';
import { KNOWN_FAILURES } from './sweep/known-failures.ts';
import { type Probe, probeRuns } from './sweep/probes.ts';
import { send } from './sweep/send.ts';
import { Tally } from './sweep/tally.ts';

const REQUEST_TIMEOUT_MS = 20_000;
const MODELS: readonly ModelName[] = ['tiny-qwen3', 'tiny-smollm2'];
const CASES = allCases();
const PROBE_RUNS = probeRuns(MODELS);
const tally = new Tally();
let server: TestServer;

beforeAll(async () => {
  // Default limits, as `pnpm serve` runs: 4 MiB bodies, no API keys.
  server = await startFixtureServer({ models: [...MODELS] });
});
afterAll(async () => {
  console.log(tally.summary());
  tally.writeReport();
  await server?.close();
});

/** `it`, or `it.fails` for a listed known failure (so the list must be trimmed once the bug is fixed). */
function test(id: string, body: () => Promise<void>): void {
  const known = KNOWN_FAILURES[id];
  if (known) it.fails(`${id} — KNOWN: ${known}`, body);
  else it(id, body);
}

async function runCase(c: SweepCase): Promise<void> {
  const known = c.id in KNOWN_FAILURES;
  const started = performance.now();
  let answer: Awaited<ReturnType<typeof send>>;
  try {
    answer = await send(server.url, c.request, REQUEST_TIMEOUT_MS);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const millis = performance.now() - started;
    tally.record({
      id: c.id,
      kind: c.expect.kind,
      verdict: 'hang',
      summary: message,
      problems: [message],
      known,
      millis,
    });
    throw cause;
  }
  const { verdict, summary, problems } = await judge(c, answer);
  tally.record({ id: c.id, kind: c.expect.kind, verdict, summary, problems, known, millis: answer.millis });
  expect(problems, `${c.request.method} ${c.request.path} -> ${summary}`).toEqual([]);
}

async function runProbe(id: string, probe: Probe, model: ModelName): Promise<void> {
  const known = id in KNOWN_FAILURES;
  const started = performance.now();
  let problems: string[];
  try {
    problems = await probe.run(chatClient(server.url, REQUEST_TIMEOUT_MS), model);
  } catch (cause) {
    problems = [cause instanceof Error ? cause.message : String(cause)];
  }
  const verdict = problems.length > 0 ? 'wrong' : 'probe-ok';
  tally.record({
    id,
    kind: 'probe',
    verdict,
    summary: problems.join(' | '),
    problems,
    known,
    millis: performance.now() - started,
  });
  expect(problems).toEqual([]);
}

describe('the case table', () => {
  it('has unique ids, and every known failure names a case or probe', () => {
    const ids = [...CASES.map((c) => c.id), ...PROBE_RUNS.map((p) => p.id)];
    const seen = new Set<string>();
    expect(ids.filter((id) => seen.has(id) || !seen.add(id))).toEqual([]);
    expect(Object.keys(KNOWN_FAILURES).filter((id) => !seen.has(id))).toEqual([]);
  });

  it('agrees with openai-schemas.json on the rows made only of OpenAI fields', () => {
    const disagreements: string[] = [];
    for (const c of CASES) {
      if (!c.oas || !c.json) continue;
      if (c.expect.kind === 'ok' && validateAgainstSchema('CreateChatCompletionRequest', c.json).length > 0) {
        disagreements.push(`valid here, invalid per OAS: ${c.id}`);
      }
      if (
        c.expect.kind === 'error' &&
        validateAgainstSchema('CreateChatCompletionRequestStrict', c.json).length === 0
      ) {
        disagreements.push(`invalid here, valid per OAS: ${c.id}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

for (const group of new Set(CASES.map((c) => c.group))) {
  describe(group, () => {
    for (const c of CASES.filter((x) => x.group === group)) test(c.id, () => runCase(c));
  });
}

describe('semantic probes', () => {
  for (const { id, probe, model } of PROBE_RUNS) test(id, () => runProbe(id, probe, model));
});

describe('afterwards', () => {
  it('answers a burst of concurrent requests, streamed and not', async () => {
    const bodies = Array.from({ length: 12 }, (_, i) => ({
      ...baseBody(MODELS[i % 2]),
      stream: i % 3 === 0,
      n: 1 + (i % 2),
      seed: i,
    }));
    const problems = await Promise.all(
      bodies.map(async (json, i) => {
        const request = {
          method: 'POST',
          path: CHAT_PATH,
          contentType: 'application/json',
          body: JSON.stringify(json),
        };
        const c: SweepCase = {
          id: `burst ${i}`,
          group: 'burst',
          model: MODELS[i % 2],
          json,
          request,
          expect: { kind: 'ok' },
        };
        return (await judge(c, await send(server.url, request, REQUEST_TIMEOUT_MS))).problems;
      }),
    );
    expect(problems.flat()).toEqual([]);
  });

  it('still answers a normal request on every model', async () => {
    for (const model of MODELS) {
      const request = {
        method: 'POST',
        path: CHAT_PATH,
        contentType: 'application/json',
        body: JSON.stringify(baseBody(model)),
      };
      const answer = await send(server.url, request, REQUEST_TIMEOUT_MS);
      expect(answer.status).toBe(200);
      expect(validateAgainstSchema('CreateChatCompletionResponse', JSON.parse(answer.text))).toEqual([]);
    }
  });
});
