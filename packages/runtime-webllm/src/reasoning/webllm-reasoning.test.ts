/**
 * Reasoning end to end on the WebLLM adapter, as cinder's engine answers it (engine's
 * reasoning.test.ts): `<think>` text goes to reasoning_content / reasoning (streamed as its own
 * deltas), include_reasoning: false leaves it out, reasoning_effort maps onto enable_thinking, and
 * reasoning tokens are counted. WebLLM is replaced by the stand-in (recordingWebLlmEngine)
 * replaying WebLLM 0.2.86's recorded output: no MLC model can be downloaded or run here.
 */
import type { ChatCompletion, ChatCompletionChunk } from '@cinder/protocol';
import { describe, expect, test } from 'vitest';
import { validateAgainstSchema } from '../../../protocol/src/testing/schema.ts';
import type { WebLlmChatConfig } from '../chat-config.ts';
import { createWebLlmEngine } from '../create-webllm-engine.ts';
import {
  recordingWebLlmEngine,
  type WebLlmRecording,
  type WebLlmReply,
} from '../testing/recording-engine.ts';
import { WEBLLM_RECORDINGS as R } from '../testing/recordings.ts';

const QWEN3 = 'Qwen3-0.6B-q4f32_1-MLC';
const R1 = 'DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC';
const user = [{ role: 'user', content: 'What is 2 + 2?' }];

function setup(
  modelId: string,
  reply: WebLlmReply | ((stream: boolean) => WebLlmReply),
  chatConfig?: WebLlmChatConfig,
) {
  const webllm = recordingWebLlmEngine(
    (request) => (typeof reply === 'function' ? reply(request.stream === true) : reply),
    chatConfig ? { chatConfigs: { [modelId]: chatConfig } } : {},
  );
  return { webllm, engine: createWebLlmEngine({ modelId, engine: webllm }) };
}

async function complete(modelId: string, reply: WebLlmReply, fields: Record<string, unknown> = {}) {
  const { webllm, engine } = setup(modelId, reply);
  const completion = (await engine.chat.completions.create({
    model: modelId,
    messages: user,
    ...fields,
  })) as ChatCompletion;
  expect(validateAgainstSchema('CreateChatCompletionResponse', completion)).toEqual([]);
  return { webllm, completion };
}

async function stream(modelId: string, reply: WebLlmReply, fields: Record<string, unknown> = {}) {
  const { webllm, engine } = setup(modelId, reply);
  const result = await engine.chat.completions.create({
    model: modelId,
    messages: user,
    stream: true,
    ...fields,
  });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of result as AsyncIterable<ChatCompletionChunk>) {
    expect(validateAgainstSchema('CreateChatCompletionStreamResponse', chunk)).toEqual([]);
    chunks.push(chunk);
  }
  return { webllm, chunks };
}

const deltas = (chunks: ChatCompletionChunk[]) =>
  chunks.flatMap((c) => (c.choices[0] ? [c.choices[0].delta] : []));
const joined = (chunks: ChatCompletionChunk[], key: 'content' | 'reasoning_content' | 'reasoning') =>
  deltas(chunks)
    .map((d) => d[key] ?? '')
    .join('');

describe('a thinking model (Qwen3)', () => {
  test('non-streaming: the block is reasoning, the rest content; its tokens counted (via WebLLM stream)', async () => {
    const { completion, webllm } = await complete(QWEN3, R.streamThink);
    expect(webllm.requests[0]).toMatchObject({ stream: true });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.choices[0].message).toEqual({
      role: 'assistant',
      content: 'It is 4.',
      refusal: null,
      reasoning_content: '\nAdd them.\n',
      reasoning: '\nAdd them.\n',
    });
    expect(completion.usage).toMatchObject({
      completion_tokens: 12,
      completion_tokens_details: { reasoning_tokens: 6 },
    });
  });

  test('streaming: reasoning deltas (reasoning_content and reasoning), then content deltas', async () => {
    const { chunks } = await stream(QWEN3, R.streamThink, { stream_options: { include_usage: true } });
    const all = deltas(chunks);
    const firstContent = all.findIndex((d) => (d.content ?? '') !== '');
    const lastReasoning = all.findLastIndex((d) => d.reasoning_content !== undefined);
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(all.every((d) => d.content === undefined || d.reasoning_content === undefined)).toBe(true);
    expect(joined(chunks, 'reasoning_content')).toBe('\nAdd them.\n');
    expect(joined(chunks, 'reasoning')).toBe('\nAdd them.\n');
    expect(joined(chunks, 'content')).toBe('It is 4.');
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)?.usage?.completion_tokens_details?.reasoning_tokens).toBe(6);
  });

  test('include_reasoning: false leaves the reasoning out but still counts it', async () => {
    const { completion } = await complete(QWEN3, R.streamThink, { include_reasoning: false });
    expect(completion.choices[0].message.content).toBe('It is 4.');
    expect(completion.choices[0].message.reasoning_content).toBeUndefined();
    expect(completion.choices[0].message.reasoning).toBeUndefined();
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(6);
    const { chunks } = await stream(QWEN3, R.streamThink, { include_reasoning: false });
    expect(deltas(chunks).some((d) => d.reasoning_content !== undefined || d.reasoning !== undefined)).toBe(
      false,
    );
    expect(joined(chunks, 'content')).toBe('It is 4.');
  });

  test("reasoning_effort none: enable_thinking false, WebLLM's empty block dropped, max_tokens kept to what was asked", async () => {
    const { chunks, webllm } = await stream(QWEN3, R.streamThinkOff, {
      reasoning_effort: 'none',
      max_tokens: 2,
      stream_options: { include_usage: true },
    });
    expect(webllm.requests[0]).toMatchObject({ extra_body: { enable_thinking: false }, max_tokens: 6 });
    expect(joined(chunks, 'content')).toBe('It is');
    expect(deltas(chunks).some((d) => d.reasoning_content !== undefined)).toBe(false);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('length');
    expect(chunks.at(-1)?.usage).toMatchObject({
      completion_tokens: 2,
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const { completion } = await complete(QWEN3, R.streamThinkOff, {
      reasoning_effort: 'minimal',
      max_tokens: 2,
    });
    expect(completion.choices[0].message).toEqual({ role: 'assistant', content: 'It is', refusal: null });
  });

  test('thinking off with a stop string found in WebLLM\'s empty block ("\\n"): a 400 naming stop', async () => {
    const { engine, webllm } = setup(QWEN3, R.streamThinkOff);
    const request = { model: QWEN3, messages: user, reasoning_effort: 'none', stop: ['\n'] };
    await expect(engine.chat.completions.create(request)).rejects.toMatchObject({
      status: 400,
      param: 'stop',
    });
    expect(webllm.requests).toHaveLength(0);
    const thinking = { model: QWEN3, messages: user, stop: ['\n'] };
    await expect(engine.chat.completions.create(thinking)).resolves.toBeDefined();
  });

  test('logprobs: reasoning counted from the entries; streamed, the logprobs ride on the first delta', async () => {
    const { completion, webllm } = await complete(QWEN3, R.completeThinkLogprobs, { logprobs: true });
    expect(webllm.requests[0].stream).toBeUndefined();
    expect(completion.choices[0].message).toMatchObject({
      content: 'It is 4.',
      reasoning_content: '\nAdd them.\n',
    });
    expect(completion.choices[0].logprobs?.content).toHaveLength(11);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(6);
    const { chunks } = await stream(QWEN3, R.completeThinkLogprobs, { logprobs: true });
    const parts = chunks.slice(1, -1).map((c) => c.choices[0]);
    expect(parts.map((p) => Object.keys(p.delta))).toEqual([['reasoning_content', 'reasoning'], ['content']]);
    expect(parts[0].logprobs?.content).toHaveLength(11);
    expect(parts[1].logprobs).toBeNull();
  });

  test('n: 2: reasoning tokens summed over the choices', async () => {
    const { completion } = await complete(QWEN3, R.streamThink, { n: 2 });
    expect(completion.choices.map((c) => c.message.reasoning_content)).toEqual([
      '\nAdd them.\n',
      '\nAdd them.\n',
    ]);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(12);
  });

  test('aborted while thinking (non-streaming): rejects with the AbortError, WebLLM interrupted, next request runs', async () => {
    const { engine, webllm } = setup(QWEN3, R.streamThink);
    const controller = new AbortController();
    const pending = engine.chat.completions.create(
      { model: QWEN3, messages: user },
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 0);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(webllm.interrupts).toBeGreaterThan(0);
    expect(webllm.active).toBe(0);
    const next = (await engine.chat.completions.create({ model: QWEN3, messages: user })) as ChatCompletion;
    expect(next.choices[0].message.content).toBe('It is 4.');
  });

  test('a stop string inside the answer still cuts it; reasoning is unaffected', async () => {
    const recording: WebLlmRecording = structuredClone(R.streamThink);
    const { chunks } = await stream(
      QWEN3,
      { ...recording, message: '<think>\nAdd them.\n</think>\n\nIt is' },
      {
        stop: [' 4'],
      },
    );
    expect(joined(chunks, 'reasoning_content')).toBe('\nAdd them.\n');
    expect(joined(chunks, 'content')).toBe('It is');
  });
});

describe('other models', () => {
  test('DeepSeek-R1 distills think without a switch: split, no enable_thinking sent', async () => {
    const { completion, webllm } = await complete(R1, R.streamThink, { reasoning_effort: 'none' });
    expect(webllm.requests[0].extra_body).toBeUndefined();
    expect(completion.choices[0].message).toMatchObject({
      content: 'It is 4.',
      reasoning_content: '\nAdd them.\n',
    });
  });

  test('a template whose reply header opens <think>: the output starts inside the block', async () => {
    const recording: WebLlmRecording = structuredClone(R.streamThink);
    const chunks = recording.chunks?.slice(1) ?? [];
    const opened = { ...recording, chunks, message: recording.message.slice('<think>'.length) };
    const header = {
      conv_template: { roles: { assistant: '<｜Assistant｜>' }, role_empty_sep: '<think>\n' },
    };
    const { engine } = setup(R1, opened, header);
    const completion = (await engine.chat.completions.create({
      model: R1,
      messages: user,
    })) as ChatCompletion;
    expect(completion.choices[0].message).toMatchObject({
      content: 'It is 4.',
      reasoning_content: '\nAdd them.\n',
    });
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(5);
  });

  test('a model that does not think leaves <think> text in the content', async () => {
    const smol = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
    const { chunks, webllm } = await stream(smol, R.streamThink, {
      include_reasoning: false,
      reasoning_effort: 'none',
    });
    expect(webllm.requests[0].extra_body).toBeUndefined();
    expect(joined(chunks, 'content')).toBe('<think>\nAdd them.\n</think>\n\nIt is 4.');
    expect(deltas(chunks).some((d) => d.reasoning_content !== undefined)).toBe(false);
  });
});
