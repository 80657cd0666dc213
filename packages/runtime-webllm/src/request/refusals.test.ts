/**
 * Tools on WebLLM: refused on every model, with a message naming the models WebLLM takes tools on
 * and why they are still refused there. WebLLM's tool mode is read from its 0.2.86 source
 * (lib/index.js, postInitAndCheckFields step 7); no MLC model can be run here.
 */
import { functionCallingModelIds, prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { createWebLlmEngine } from '../create-webllm-engine.ts';
import { recordingWebLlmEngine } from '../testing/recording-engine.ts';
import { WEBLLM_RECORDINGS } from '../testing/recordings.ts';
import { WEBLLM_TOOL_MODELS } from './refusals.ts';

const tools = [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }];

async function toolsError(modelId: string, fields: Record<string, unknown> = {}) {
  const webllm = recordingWebLlmEngine([WEBLLM_RECORDINGS.completeLength]);
  const engine = createWebLlmEngine({ modelId, engine: webllm });
  const request = { model: modelId, messages: [{ role: 'user', content: 'Hi' }], tools, ...fields };
  const error = await engine.chat.completions.create(request).then(
    () => null,
    (e: unknown) => e,
  );
  expect(webllm.requests).toHaveLength(0);
  return error as { status: number; param: string; message: string };
}

describe('tools', () => {
  test("the models named are WebLLM's functionCallingModelIds, all in its catalog", () => {
    expect(WEBLLM_TOOL_MODELS).toEqual(functionCallingModelIds);
    const ids = prebuiltAppConfig.model_list.map((r) => r.model_id);
    for (const id of WEBLLM_TOOL_MODELS) expect(ids).toContain(id);
  });

  test('a 400 naming tools, the WebLLM models that take them, and the runtime that honours them', async () => {
    const error = await toolsError('SmolLM2-360M-Instruct-q4f32_1-MLC');
    expect(error).toMatchObject({ status: 400, param: 'tools' });
    expect(error.message).toContain(
      'Hermes-2-Pro-Llama-3-8B, Hermes-2-Pro-Mistral-7B and Hermes-3-Llama-3.1-8B',
    );
    expect(error.message).toContain('ignoring tool_choice');
    expect(error.message).toContain("cinder's own runtime support it");
  });

  test.each([
    {},
    { tool_choice: 'auto' },
    { tool_choice: 'none' },
    { tool_choice: 'required' },
    { tool_choice: { type: 'function', function: { name: 'f' } } },
  ])('refused on a Hermes model too (WebLLM forces calls and ignores tool_choice): %j', async (fields) => {
    const error = await toolsError('Hermes-3-Llama-3.1-8B-q4f32_1-MLC', fields);
    expect(error).toMatchObject({ status: 400, param: 'tools' });
  });
});
