/**
 * The recordings the stand-in replays are WebLLM 0.2.86's own output: each scenario runs the real
 * `MLCEngine` code from the npm bundle over a scripted pipeline (real-webllm-harness.ts; a real
 * pipeline needs WebGPU and a downloaded MLC model, which cannot exist here) and must reproduce
 * the saved JSON (ids, timestamps and latencies aside). `WEBLLM_RECORD=1` rewrites the files.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { WebLlmChunk, WebLlmCompletion, WebLlmRequest } from '../webllm-types.ts';
import { eos, realEngineOverScript, type ScriptedToken, tok } from './real-webllm-harness.ts';
import type { WebLlmRecording } from './recording-engine.ts';

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const QWEN3 = 'Qwen3-0.6B-q4f32_1-MLC';
const think = [
  tok('<think>', -0.01),
  tok('\n', -0.02),
  tok('Add', -0.3),
  tok(' them', -0.2),
  tok('.\n', -0.1),
  tok('</think>', -0.05),
  tok('\n\n', -0.01),
  tok('It', -0.2),
  tok(' is', -0.1),
  tok(' 4', -0.3),
  tok('.', -0.1),
  eos(-0.02),
];
const user = [{ role: 'user' as const, content: 'Say hello.' }];
const dir = new URL('./recordings/', import.meta.url);

interface Scenario {
  readonly name: string;
  /** The loaded model, when not SmolLM2 (the thinking scenarios run as Qwen3). */
  readonly model?: string;
  readonly note: string;
  readonly request: WebLlmRequest;
  readonly script: readonly ScriptedToken[];
  /** Call interruptGenerate() when this many tokens have been sampled. */
  readonly interruptAt?: number;
}

const byte = (bytes: number[], logprob: number): ScriptedToken => ({
  bytes,
  logprob,
  top: [['\uFFFD', logprob]],
});

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'stream-basic',
    note: 'Every delta repeats role; final chunk has delta {} and no logprobs key; usage chunk has choices [] and usage.extra.',
    request: { model: MODEL, messages: user, stream: true, stream_options: { include_usage: true } },
    script: [tok('Hello', -0.1), tok(',', -0.2), tok(' world', -0.3), tok('!', -0.4), eos(-0.05)],
  },
  {
    name: 'stream-stop-string',
    note: 'The beginning of the stop string "\\n\\nUser" was streamed before WebLLM saw all of it; getMessage() is cut.',
    request: { model: MODEL, messages: user, stream: true, stop: ['\n\nUser'] },
    script: [tok('Sure', -0.1), tok('.', -0.2), tok('\n', -0.3), tok('\nUser', -0.4), tok(':', -0.5)],
  },
  {
    name: 'stream-multibyte-logprobs',
    note: 'An emoji split over two tokens: the chunk after the first half is withheld, and its logprob entry is lost.',
    request: { model: MODEL, messages: user, stream: true, logprobs: true, top_logprobs: 2 },
    script: [
      tok('Hi ', -0.1, [
        ['Hi ', -0.1],
        ['Hello ', -2.5],
      ]),
      byte([0xf0, 0x9f], -0.2),
      byte([0x98, 0x80], -0.01),
      eos(-0.02),
    ],
  },
  {
    name: 'stream-length',
    note: 'max_tokens reached: finish_reason "length".',
    request: {
      model: MODEL,
      messages: user,
      stream: true,
      max_tokens: 3,
      stream_options: { include_usage: true },
    },
    script: [tok('One', -0.1), tok(' two', -0.2), tok(' three', -0.3), tok(' four', -0.4)],
  },
  {
    name: 'stream-abort',
    note: 'interruptGenerate() after two tokens: WebLLM ends with its non-standard finish_reason "abort".',
    request: { model: MODEL, messages: user, stream: true, stream_options: { include_usage: true } },
    script: [tok('A', -0.1), tok(' long', -0.2), tok(' story', -0.3), tok(' goes', -0.4), tok(' on', -0.5)],
    interruptAt: 2,
  },
  {
    name: 'complete-logprobs',
    note: 'Non-streaming with top_logprobs 2: one entry per sampled token, the EOS token included (token "").',
    request: { model: MODEL, messages: user, logprobs: true, top_logprobs: 2 },
    script: [
      tok('Paris', -0.05, [
        ['Paris', -0.05],
        ['Lyon', -3.2],
      ]),
      tok('.', -0.1, [
        ['.', -0.1],
        ['!', -2.4],
      ]),
      eos(-0.01),
    ],
  },
  {
    name: 'complete-logprobs-only',
    note: 'logprobs: true without top_logprobs: WebLLM records no entries (content is []).',
    request: { model: MODEL, messages: user, logprobs: true },
    script: [tok('Paris', -0.05), tok('.', -0.1), eos(-0.01)],
  },
  {
    name: 'stream-think',
    model: QWEN3,
    note: 'Qwen3 thinking: the <think> block arrives inside content, one chunk per token.',
    request: { model: QWEN3, messages: user, stream: true, stream_options: { include_usage: true } },
    script: think,
  },
  {
    name: 'stream-think-off',
    model: QWEN3,
    note: 'enable_thinking: false: the empty block WebLLM puts in the output ids comes first in the first chunk and counts against max_tokens (6 = 2 asked + its 4 tokens), not in completion_tokens.',
    request: {
      model: QWEN3,
      messages: user,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 6,
      extra_body: { enable_thinking: false },
    },
    script: think.slice(7),
  },
  {
    name: 'complete-think-logprobs',
    model: QWEN3,
    note: 'Qwen3 thinking, non-streaming with logprobs: one entry per token, the <think> block in content.',
    request: { model: QWEN3, messages: user, logprobs: true, top_logprobs: 1 },
    script: think,
  },
  {
    name: 'complete-length',
    note: 'Non-streaming, max_tokens reached.',
    request: { model: MODEL, messages: user, max_tokens: 2 },
    script: [tok('Hello', -0.1), tok(' there', -0.2), tok(' friend', -0.3)],
  },
];

async function record(scenario: Scenario): Promise<WebLlmRecording> {
  const { engine, pipeline } = realEngineOverScript(scenario.model ?? MODEL, scenario.script);
  let sampled = 0;
  pipeline.onStep = () => {
    sampled += 1;
    if (scenario.interruptAt !== undefined && sampled === scenario.interruptAt + 1)
      void engine.interruptGenerate();
  };
  const result = await engine.chatCompletion(structuredClone(scenario.request));
  const out: { chunks?: WebLlmChunk[]; completion?: WebLlmCompletion } = {};
  if (scenario.request.stream) {
    out.chunks = [];
    for await (const chunk of result as AsyncIterable<WebLlmChunk>) out.chunks.push(chunk);
  } else {
    out.completion = result as WebLlmCompletion;
  }
  return {
    name: scenario.name,
    note: scenario.note,
    request: scenario.request,
    ...out,
    message: await engine.getMessage(),
  };
}

/** Ids are random uuids, `created` the clock, `e2e_latency_s` measured: compare everything else. */
function normalized(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => {
    if (key === 'id' || key === 'created' || key === 'e2e_latency_s') return key;
    return v;
  });
}

describe('recordings are WebLLM 0.2.86 output (real MLCEngine code, scripted pipeline in place of the GPU model)', () => {
  for (const scenario of SCENARIOS) {
    test(scenario.name, async () => {
      const recorded = await record(scenario);
      const file = new URL(`${scenario.name}.json`, dir);
      if (process.env.WEBLLM_RECORD === '1') writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
      const saved = JSON.parse(readFileSync(file, 'utf8')) as WebLlmRecording;
      expect(normalized(saved)).toEqual(normalized(recorded));
    });
  }

  test('created is in seconds in 0.2.86, ids are bare uuids', async () => {
    const recorded = await record(SCENARIOS[0]);
    const created = recorded.chunks?.[0].created ?? 0;
    expect(Math.abs(created - Date.now() / 1000)).toBeLessThan(60);
    expect(recorded.chunks?.[0].id).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('errors are WebLLM classes with a name (strings "Name: message" through a worker)', async () => {
    const { engine } = realEngineOverScript(MODEL, [tok('x', -1)]);
    const failures = [
      { ...SCENARIOS[0].request, n: 2 },
      { model: MODEL, messages: [...user, { role: 'assistant' as const, content: 'Hi' }] },
      { model: MODEL, messages: user, logprobs: true, top_logprobs: 6 },
    ];
    const seen: { name: string; text: string }[] = [];
    for (const request of failures) {
      const error = await engine.chatCompletion(request as WebLlmRequest).then(
        () => null,
        (e: Error) => e,
      );
      seen.push({ name: error?.name ?? '', text: String(error) });
    }
    const file = new URL('errors.json', dir);
    if (process.env.WEBLLM_RECORD === '1') writeFileSync(file, `${JSON.stringify(seen, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(seen);
    expect(seen.map((s) => s.name)).toEqual(['StreamingCountError', 'MessageOrderError', 'RangeError']);
  });
});
