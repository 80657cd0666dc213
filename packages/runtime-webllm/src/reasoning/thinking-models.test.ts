/** Which WebLLM catalog models think, and whether WebLLM's prompt opens the block. */
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { webLlmThinking } from './thinking-models.ts';

const ids = prebuiltAppConfig.model_list.map((r) => r.model_id);

describe('webLlmThinking', () => {
  test('in the 0.2.86 catalog: Qwen3 / Qwen3.5 think with a switch, DeepSeek-R1 distills always, nothing else', () => {
    const thinking = ids.filter((id) => webLlmThinking(id) !== null);
    const families = new Set(thinking.map((id) => id.replace(/-\d.*$|-q\d.*$/, '')));
    expect([...families].sort()).toEqual([
      'DeepSeek-R1-Distill-Llama',
      'DeepSeek-R1-Distill-Qwen',
      'Qwen3',
      'Qwen3.5',
    ]);
    expect(
      thinking.filter((id) => webLlmThinking(id)?.switchable).every((id) => id.startsWith('Qwen3')),
    ).toBe(true);
    expect(webLlmThinking('DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC')).toEqual({
      switchable: false,
      startsInReasoning: false,
    });
    for (const id of [
      'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
      'SmolLM2-360M-Instruct-q4f32_1-MLC',
      'Phi-4-mini-instruct-q4f32_1-MLC',
    ])
      expect(webLlmThinking(id)).toBeNull();
  });

  test('custom records: Qwen3 2507 Instruct does not think; QwQ does', () => {
    expect(webLlmThinking('Qwen3-4B-Instruct-2507-q4f16_1-MLC')).toBeNull();
    expect(webLlmThinking('QwQ-32B-q4f16_1-MLC')).toMatchObject({ switchable: false });
  });

  test("the output starts inside the block when the template's reply header opens <think>", () => {
    const opens = { conv_template: { roles: { assistant: '<｜Assistant｜>' }, role_empty_sep: '<think>\n' } };
    const plain = { conv_template: { roles: { assistant: '<|im_start|>assistant' }, role_empty_sep: '\n' } };
    const id = 'DeepSeek-R1-Distill-Qwen-7B-q4f32_1-MLC';
    expect(webLlmThinking(id, opens)?.startsInReasoning).toBe(true);
    expect(webLlmThinking(id, plain)?.startsInReasoning).toBe(false);
    expect(webLlmThinking('SmolLM2-360M-Instruct-q4f32_1-MLC', opens)).toBeNull();
  });
});
