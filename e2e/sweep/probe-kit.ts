/** Shared pieces of the semantic probes (probes-*.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultFixturesDir } from '@cinder/fixtures';
import { baseBody, type Json, type JsonObject, type ModelName } from './case.ts';
import type { ChatClient, Completion } from './chat-client.ts';

export interface Probe {
  readonly name: string;
  /** Default: every model. */
  readonly models?: readonly ModelName[];
  run(client: ChatClient, model: ModelName): Promise<string[]>;
}

/** An ordinary (non-special) token id in both fixtures' vocabularies, and a few neighbours. */
export const ORDINARY = 100;
export const ORDINARY_SET = [100, 101, 102];

export function greedy(model: ModelName, extra: Record<string, Json> = {}): JsonObject {
  return { ...baseBody(model), temperature: 0, ...extra };
}
export const text = (c: Completion, i = 0) => c.choices[i]?.message.content ?? '';
export const ids = (c: Completion, i = 0) => c.choices[i]?.token_ids ?? [];
export const check = (condition: boolean, problem: string): string[] => (condition ? [] : [problem]);
export const show = (value: unknown) => JSON.stringify(value);

export function sameBytes(bytes: readonly number[], token: string): boolean {
  const encoded = new TextEncoder().encode(token);
  return encoded.length === bytes.length && encoded.every((b, i) => b === bytes[i]);
}

/** The first greedy token id, via vLLM's `return_token_ids`. */
export async function firstGreedyToken(client: ChatClient, model: ModelName): Promise<number> {
  return ids(await client.complete(greedy(model, { max_tokens: 1, return_token_ids: true })))[0];
}

interface ModelConfig {
  max_position_embeddings: number;
  eos_token_id: number | number[];
}

/** The fixture's own config.json: the context window and EOS id the server should be using. */
export function modelConfig(model: ModelName): ModelConfig {
  return JSON.parse(readFileSync(join(defaultFixturesDir(), model, 'config.json'), 'utf8')) as ModelConfig;
}
