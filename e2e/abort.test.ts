/**
 * Cancellation over real HTTP: when the client aborts a streaming or a non-streaming request,
 * the engine stops generating within one token and the server keeps serving.
 */
import { createEngine } from '@cinder/engine';
import { ensureFixture } from '@cinder/fixtures';
import { createHandler } from '@cinder/handler';
import { directoryModelSource, type NodeServer, serveNode } from '@cinder/host-node';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CountingFactory, countingRuntime } from './support/counting-runtime.ts';

const model = 'tiny-smollm2';
let server: NodeServer;
let runtime: CountingFactory;

beforeAll(async () => {
  runtime = countingRuntime(cpuRuntime);
  const engine = createEngine({
    models: [{ source: directoryModelSource(await ensureFixture(model)), runtime }],
  });
  server = await serveNode(createHandler({ engine }), { port: 0 });
});
afterAll(() => server?.close());

const longRequest = (stream: boolean) =>
  JSON.stringify({
    model,
    messages: [{ role: 'user', content: 'Go on forever.' }],
    max_tokens: 400,
    ignore_eos: true,
    stream,
  });

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function expectStoppedSoon() {
  // Give the abort a moment to reach the engine, then no further steps may run.
  await sleep(150);
  const atStop = runtime.steps();
  await sleep(300);
  expect(runtime.steps() - atStop).toBeLessThanOrEqual(1);
}

it('aborting a stream stops generation within one token', async () => {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: longRequest(true),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  for (let i = 0; i < 4; i++) await reader.read();
  const before = runtime.steps();
  controller.abort();
  await expectStoppedSoon();
  expect(runtime.steps()).toBeLessThan(before + 20);
});

it('aborting a non-streaming request stops generation too', async () => {
  const controller = new AbortController();
  const pending = fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: longRequest(false),
    signal: controller.signal,
  }).catch((error: unknown) => error);
  const start = runtime.steps();
  while (runtime.steps() < start + 3) await sleep(5);
  controller.abort();
  expect(await pending).toBeInstanceOf(Error);
  await expectStoppedSoon();
});

it('serves normally afterwards', async () => {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 3 }),
  });
  expect(response.status).toBe(200);
});
