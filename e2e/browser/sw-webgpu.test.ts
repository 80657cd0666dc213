/**
 * The WebGPU runtime in the engine worker, answered through the service worker to the openai SDK in
 * the page: Chromium's WebGPU here is SwiftShader, which the product would skip for the (faster) CPU
 * runtime, so the page forces it with `?gpu=1`. Greedy output must equal the CPU runtime's, JSON mode
 * (a grammar, drawn on the GPU with its mask) included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import './app-global.ts';
import { startTestApp, type TestApp } from './test-app.ts';

const MODEL = 'tiny-smollm2';
const messages = [{ role: 'user', content: 'Hello there' }];
let site: TestApp;

describe.skipIf(!hasChromium())('WebGPU through the service worker', () => {
  beforeAll(async () => {
    site = await startTestApp();
  });
  afterAll(() => site?.close());

  it('runs a completion and a stream on WebGPU, greedy-identical to the CPU runtime', async () => {
    const body = {
      model: MODEL,
      messages,
      max_tokens: 8,
      temperature: 0,
      ignore_eos: true,
      return_token_ids: true,
    };
    // JSON mode: the grammar's mask goes to the WebGPU sampler with each draw.
    const json = { ...body, max_tokens: 16, ignore_eos: false, response_format: { type: 'json_object' } };
    const cpu = await site.open();
    const onCpu = await cpu.evaluate((b) => app.complete(b), body);
    const jsonOnCpu = await cpu.evaluate((b) => app.complete(b), json);
    expect(await cpu.evaluate(() => app.runtimeChoice())).toMatchObject({ backend: 'cpu' });
    await cpu.close();

    const gpu = await site.open('gpu=1');
    const completion = await gpu.evaluate((b) => app.complete(b), body);
    expect(await gpu.evaluate(() => app.runtimeChoice())).toMatchObject({ backend: 'webgpu' });
    const ids = (c: typeof completion) => (c.choices[0] as { token_ids?: number[] }).token_ids;
    expect(ids(completion)).toHaveLength(8);
    expect(ids(completion)).toEqual(ids(onCpu));
    const jsonOnGpu = await gpu.evaluate((b) => app.complete(b), json);
    expect(ids(jsonOnGpu)).toEqual(ids(jsonOnCpu));
    expect(jsonOnGpu.choices[0].message.content).toBe(jsonOnCpu.choices[0].message.content);

    await gpu.evaluate((b) => app.startStream('g1', b), body);
    await gpu.waitForFunction(() => app.run('g1').done, undefined, { timeout: 60_000 });
    const run = await gpu.evaluate(() => app.run('g1'));
    expect(run.error).toBeNull();
    expect(run.text).toBe(completion.choices[0].message.content);
    await gpu.close();
  });
});
