/**
 * What the prefix cache saves in a multi-turn chat: the time to the first token of turn 10, when
 * the request resends the nine turns before it, with the cache on (the history's KV cache is
 * reused, reported in `cached_tokens`) and off (`prefixCacheTokens: 0`: the whole prompt is
 * prefilled again). Each setting plays a few separate conversations and reports the median.
 */
import {
  type ChatCompletions,
  createEngine,
  type RuntimeFactory,
  type SchedulerOptions,
} from '@cinder/engine';
import type { ModelSource } from '@cinder/model-format';
import type { ChatCompletion, ChatCompletionChunk } from '@cinder/protocol';
import { cpuRuntime } from '@cinder/runtime-cpu';
import type { Row } from './table.ts';

export interface PrefixCacheBenchOptions {
  readonly runtime?: RuntimeFactory;
  /** The turn whose first token is timed (default 10). */
  readonly turn?: number;
  /** Tokens of each assistant reply in the history (default 12). */
  readonly replyTokens?: number;
  /** Conversations per setting (default 3). */
  readonly conversations?: number;
}

interface Message {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export async function benchPrefixCache(
  source: ModelSource,
  options: PrefixCacheBenchOptions = {},
): Promise<Row[]> {
  const settings: [string, SchedulerOptions][] = [
    ['prefix cache on', {}],
    ['prefix cache off', { prefixCacheTokens: 0 }],
  ];
  const rows: Row[] = [];
  for (const [label, scheduler] of settings) {
    const engine = createEngine({ models: [{ source, runtime: options.runtime ?? cpuRuntime }], scheduler });
    await engine.loadModel(source.id);
    const runs: TurnResult[] = [];
    for (let conversation = 0; conversation < (options.conversations ?? 3); conversation++) {
      runs.push(await playConversation(engine.chat.completions, source.id, conversation, options));
    }
    await engine.dispose();
    runs.sort((a, b) => a.firstTokenMs - b.firstTokenMs);
    const median = runs[runs.length >> 1];
    rows.push({
      benchmark: `time to first token, turn ${options.turn ?? 10}`,
      model: source.id,
      setting: `${label}, ${median.promptTokens}-token prompt`,
      result: `${median.firstTokenMs.toFixed(1)} ms, cached_tokens ${median.cachedTokens}`,
    });
  }
  return rows;
}

interface TurnResult {
  readonly firstTokenMs: number;
  readonly promptTokens: number;
  readonly cachedTokens: number;
}

/** Turns 1..turn-1 as ordinary requests (their replies become the history), then turn `turn` timed. */
async function playConversation(
  completions: ChatCompletions,
  model: string,
  conversation: number,
  options: PrefixCacheBenchOptions,
): Promise<TurnResult> {
  const turn = options.turn ?? 10;
  const common = { model, temperature: 0, ignore_eos: true, max_tokens: options.replyTokens ?? 12 };
  const messages: Message[] = [];
  for (let t = 1; t < turn; t++) {
    messages.push({ role: 'user', content: userMessage(conversation, t) });
    const reply = (await completions.create({ ...common, messages })) as ChatCompletion;
    messages.push({ role: 'assistant', content: reply.choices[0].message.content ?? '' });
  }
  messages.push({ role: 'user', content: userMessage(conversation, turn) });

  const start = performance.now();
  const stream = (await completions.create({
    ...common,
    messages,
    stream: true,
    return_token_ids: true,
    stream_options: { include_usage: true },
  })) as AsyncIterable<ChatCompletionChunk>;
  let firstTokenMs = Number.NaN;
  let promptTokens = 0;
  let cachedTokens = 0;
  for await (const chunk of stream) {
    if (Number.isNaN(firstTokenMs) && (chunk.choices[0]?.token_ids ?? []).length > 0) {
      firstTokenMs = performance.now() - start;
    }
    if (chunk.usage) {
      promptTokens = chunk.usage.prompt_tokens;
      cachedTokens = chunk.usage.prompt_tokens_details?.cached_tokens ?? 0;
    }
  }
  return { firstTokenMs, promptTokens, cachedTokens };
}

const TOPICS = ['the sea', 'mountains', 'old libraries', 'trains at night', 'a small garden', 'winter'];

function userMessage(conversation: number, turn: number): string {
  const topic = TOPICS[(conversation + turn) % TOPICS.length];
  return `${conversation}.${turn}: one more thing about ${topic}, briefly.`;
}
