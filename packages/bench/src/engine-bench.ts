/**
 * The engine's own cost per output token, with a real 151k-token vocabulary (Qwen3's tokenizer),
 * measured around output token 1, 500 and 2000 of one long stream: sampling + logprobs +
 * detokenizing + chunk building + SSE encoding. It must stay flat as the output grows.
 */
import { createEngine } from '@cinder/engine';
import type { ModelSource } from '@cinder/model-format';
import { type ChatCompletionChunk, encodeSseEvent } from '@cinder/protocol';
import { replayRuntime } from './replay-runtime.ts';
import type { Row } from './table.ts';

const WINDOWS = [1, 500, 2000];
const WINDOW = 50;

export async function benchEngine(
  source: ModelSource,
  vocabSize: number,
  label: string,
  extra: Record<string, unknown>,
): Promise<Row[]> {
  const total = WINDOWS.at(-1)! + WINDOW;
  const engine = createEngine({ models: [{ source, runtime: replayRuntime(vocabSize, total + 512) }] });
  const stream = (await engine.chat.completions.create({
    model: source.id,
    messages: [{ role: 'user', content: 'Write a very long story.' }],
    max_tokens: total,
    ignore_eos: true,
    stream: true,
    return_token_ids: true,
    temperature: 0.8,
    ...extra,
  })) as AsyncIterable<ChatCompletionChunk>;

  // Time at which each output token's chunk was encoded for the wire.
  const stamps: number[] = [];
  let last = performance.now();
  let bytes = 0;
  for await (const chunk of stream) {
    bytes += encodeSseEvent(chunk).length;
    const ids = chunk.choices[0]?.token_ids ?? [];
    const now = performance.now();
    for (let i = 0; i < ids.length; i++) stamps.push(i === 0 ? now - last : 0);
    if (ids.length > 0) last = now;
  }
  await engine.dispose();
  if (bytes === 0) throw new Error('no output');

  return WINDOWS.map((from) => {
    const slice = stamps.slice(from - 1, from - 1 + WINDOW);
    const mean = slice.reduce((sum, ms) => sum + ms, 0) / slice.length;
    return {
      benchmark: 'engine per-token cost',
      model: `${vocabSize}-token vocab`,
      setting: `${label}, tokens ${from}-${from + WINDOW - 1}`,
      result: `${mean.toFixed(3)} ms/token`,
    };
  });
}
