/**
 * Test support for the engine-level structured-output, tool and reasoning tests: one engine over
 * the fixture models on the CPU runtime, request helpers, and an ajv validator (draft 2020-12).
 */
import { ensureFixture } from '@cinder/fixtures';
import { directoryModelSource } from '@cinder/host-node';
import type { ChatCompletion, ChatCompletionChunk } from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { createEngine, type LocalEngine } from '../index.ts';

export async function fixtureEngine(models: readonly string[]): Promise<LocalEngine> {
  const dirs = await Promise.all(models.map((name) => ensureFixture(name)));
  return createEngine({
    models: dirs.map((dir) => ({ source: directoryModelSource(dir), runtime: cpuRuntime })),
  });
}

export type Params = Record<string, unknown>;

export async function complete(engine: LocalEngine, params: Params): Promise<ChatCompletion> {
  return (await engine.chat.completions.create({
    messages: [{ role: 'user', content: 'Give me the data.' }],
    ...params,
  })) as ChatCompletion;
}

export async function streamChunks(engine: LocalEngine, params: Params): Promise<ChatCompletionChunk[]> {
  const stream = (await engine.chat.completions.create({
    messages: [{ role: 'user', content: 'Give me the data.' }],
    ...params,
    stream: true,
  })) as AsyncIterable<ChatCompletionChunk>;
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The 400 a request is refused with (fails the test if it succeeds). */
export async function refusal(
  engine: LocalEngine,
  params: Params,
): Promise<{ status: number; param: string; message: string }> {
  try {
    await complete(engine, params);
  } catch (error) {
    return error as { status: number; param: string; message: string };
  }
  throw new Error('expected the request to be refused');
}

const ajv = new Ajv2020({ strict: false, allErrors: true });

/** ajv errors of `value` against `schema`; empty when valid. */
export function schemaErrors(schema: object, value: unknown): string[] {
  const validate = ajv.compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

export const SEEDS = Array.from({ length: 8 }, (_, i) => 1000 + i * 7);
