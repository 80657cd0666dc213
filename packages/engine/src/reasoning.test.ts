/**
 * Reasoning end to end on the Qwen3 fixture (real tokenizer and template): `<think>` text goes to
 * reasoning_content / reasoning (streamed as its own deltas), include_reasoning: false leaves it
 * out, reasoning_effort maps onto enable_thinking, and reasoning tokens are counted.
 * The output is pinned with a choice constraint, since the weights are random.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFixture } from '@cinder/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from './index.ts';
import { complete, fixtureEngine, streamChunks } from './structured/engine-test-support.ts';
import { loadTokenizer, type TextTokenizer } from './text/tokenizer.ts';

const model = 'tiny-qwen3';
let engine: LocalEngine;
let tokenizer: TextTokenizer;

beforeAll(async () => {
  engine = await fixtureEngine([model]);
  const dir = await ensureFixture(model);
  const json = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
  tokenizer = loadTokenizer(await json('tokenizer.json'), await json('tokenizer_config.json'));
});
afterAll(() => engine.dispose());

const answer = '<think>\nAdd them: 2 + 2.\n</think>\n\nIt is 4.';
/** Thinking off in the prompt, so the pinned output (with its own think block) is all the model writes. */
const pinned = {
  model,
  structured_outputs: { choice: [answer] },
  chat_template_kwargs: { enable_thinking: false },
};

describe('reasoning', () => {
  it('splits the think block from the answer and counts its tokens', async () => {
    const completion = await complete(engine, { ...pinned, max_tokens: 100 });
    const { message, finish_reason } = completion.choices[0];
    expect(finish_reason).toBe('stop');
    expect(message).toMatchObject({
      content: 'It is 4.',
      reasoning_content: '\nAdd them: 2 + 2.\n',
      reasoning: '\nAdd them: 2 + 2.\n',
    });
    const reasoningTokens = completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
    const thinkTokens = tokenizer.encode('<think>\nAdd them: 2 + 2.\n</think>').length;
    expect(reasoningTokens).toBeGreaterThanOrEqual(thinkTokens - 1);
    expect(reasoningTokens).toBeLessThan(completion.usage?.completion_tokens ?? 0);
  });

  it('streams reasoning deltas, then content deltas', async () => {
    const chunks = await streamChunks(engine, { ...pinned, stream_options: { include_usage: true } });
    const deltas = chunks.flatMap((c) => (c.choices[0] ? [c.choices[0].delta] : []));
    const firstContent = deltas.findIndex((d) => (d.content ?? '') !== '');
    const lastReasoning = deltas.findLastIndex((d) => d.reasoning_content !== undefined);
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('\nAdd them: 2 + 2.\n');
    expect(deltas.map((d) => d.reasoning ?? '').join('')).toBe('\nAdd them: 2 + 2.\n');
    expect(deltas.map((d) => d.content ?? '').join('')).toBe('It is 4.');
    expect(chunks.at(-1)?.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
  });

  it('include_reasoning: false leaves the reasoning out but still counts it', async () => {
    const completion = await complete(engine, { ...pinned, include_reasoning: false });
    const { message } = completion.choices[0];
    expect(message.content).toBe('It is 4.');
    expect(message.reasoning_content).toBeUndefined();
    expect(message.reasoning).toBeUndefined();
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    const chunks = await streamChunks(engine, { ...pinned, include_reasoning: false });
    expect(chunks.some((c) => c.choices[0]?.delta.reasoning_content !== undefined)).toBe(false);
  });

  it('reasoning_effort none / minimal turns Qwen3 thinking off; explicit kwargs win', async () => {
    const promptOf = async (extra: Record<string, unknown>) => {
      const completion = await complete(engine, { model, max_tokens: 1, return_token_ids: true, ...extra });
      return tokenizer.decode(completion.prompt_token_ids ?? []);
    };
    const closed = '<|im_start|>assistant\n<think>\n\n</think>\n\n';
    expect(await promptOf({ reasoning_effort: 'none' })).toMatch(new RegExp(`${closed}$`));
    expect(await promptOf({ reasoning_effort: 'minimal' })).toMatch(new RegExp(`${closed}$`));
    expect(await promptOf({ reasoning_effort: 'high' })).toMatch(/<\|im_start\|>assistant\n$/);
    expect(await promptOf({})).toMatch(/<\|im_start\|>assistant\n$/);
    expect(
      await promptOf({ reasoning_effort: 'none', chat_template_kwargs: { enable_thinking: true } }),
    ).toMatch(/<\|im_start\|>assistant\n$/);
  });

  it('a model that does not think leaves <think> text in the content', async () => {
    const other = await fixtureEngine(['tiny-smollm2']);
    try {
      const completion = await complete(other, {
        model: 'tiny-smollm2',
        structured_outputs: { choice: ['<think>x</think>y'] },
      });
      expect(completion.choices[0].message).toMatchObject({ content: '<think>x</think>y' });
      expect(completion.choices[0].message.reasoning_content).toBeUndefined();
    } finally {
      await other.dispose();
    }
  });
});
