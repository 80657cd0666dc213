/**
 * vocab_size comes from the loaded model's mlc-chat-config.json, so logit_bias ids beyond the
 * vocabulary are a 400 without the integration passing a size. The first test runs WebLLM 0.2.86's
 * real `MLCEngine.reload()`, which reads the config into `loadedModelIdToChatConfig` before it
 * loads the model library (which fails here: no WebGPU; the Cache API and the config file are
 * stand-ins, as nothing can be downloaded). The others use the stand-in engine.
 */
import { ApiError } from '@cinder/protocol';
import { type AppConfig, MLCEngine } from '@mlc-ai/web-llm';
import { afterEach, describe, expect, test } from 'vitest';
import { assistantHeader, loadedChatConfig, vocabSizeOf, type WebLlmChatConfig } from './chat-config.ts';
import { createWebLlmEngine, type WebLlmEngineOptions } from './create-webllm-engine.ts';
import { recordingWebLlmEngine } from './testing/recording-engine.ts';
import { WEBLLM_RECORDINGS } from './testing/recordings.ts';

const MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const config: WebLlmChatConfig = {
  vocab_size: 49152,
  conv_template: { roles: { assistant: '<|im_start|>assistant' }, role_empty_sep: '\n' },
};

async function logitBiasError(options: Omit<WebLlmEngineOptions, 'modelId'>, id: number) {
  const engine = createWebLlmEngine({ modelId: MODEL, ...options });
  const request = { model: MODEL, messages: [{ role: 'user', content: 'Hi' }], logit_bias: { [id]: 5 } };
  return engine.chat.completions.create(request).then(
    () => null,
    (e: unknown) => e,
  );
}

const globals = globalThis as { caches?: unknown; location?: unknown };
const saved = { caches: globals.caches, location: globals.location };
afterEach(() => {
  globals.caches = saved.caches;
  globals.location = saved.location;
});

describe('vocab_size from mlc-chat-config.json', () => {
  test("a real MLCEngine's reload() puts the config where the adapter reads it", async () => {
    const store = new Map<string, Response>();
    globals.location = { origin: 'http://localhost' };
    globals.caches = {
      open: async () => ({
        match: async (request: Request) => store.get(request.url)?.clone(),
        add: async (request: Request) => {
          expect(request.url).toBe('https://example.invalid/m/resolve/main/mlc-chat-config.json');
          store.set(request.url, new Response(JSON.stringify(config)));
        },
      }),
    };
    const appConfig = {
      model_list: [
        {
          model: 'https://example.invalid/m',
          model_id: MODEL,
          model_lib: 'https://example.invalid/lib.wasm',
        },
      ],
    } as AppConfig;
    const real = new MLCEngine({ appConfig, logLevel: 'SILENT' });
    await real.reload(MODEL).catch(() => {});
    expect(loadedChatConfig(real, MODEL)).toMatchObject(config);
    const error = await logitBiasError({ engine: real }, 49152);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, param: 'logit_bias' });
    expect((error as Error).message).toContain('49152');
  });

  test('from the stand-in: out of range is a 400 naming logit_bias; the last id passes', async () => {
    const webllm = recordingWebLlmEngine([WEBLLM_RECORDINGS.completeLength], {
      chatConfigs: { [MODEL]: config },
    });
    expect(await logitBiasError({ engine: webllm }, 49152)).toMatchObject({
      status: 400,
      param: 'logit_bias',
    });
    expect(await logitBiasError({ engine: webllm }, 49151)).toBeNull();
    expect(webllm.requests[0].logit_bias).toEqual({ 49151: 5 });
  });

  test('an explicit vocabSize or chatConfig wins; without any (a worker engine) nothing is checked', async () => {
    const webllm = () =>
      recordingWebLlmEngine([WEBLLM_RECORDINGS.completeLength], { chatConfigs: { [MODEL]: config } });
    expect(await logitBiasError({ engine: webllm(), vocabSize: 100 }, 100)).toMatchObject({
      param: 'logit_bias',
    });
    expect(await logitBiasError({ engine: webllm(), chatConfig: { vocab_size: 10 } }, 10)).toMatchObject({
      param: 'logit_bias',
    });
    const bare = recordingWebLlmEngine([WEBLLM_RECORDINGS.completeLength]);
    expect(await logitBiasError({ engine: bare }, 10 ** 6)).toBeNull();
  });

  test('readers', () => {
    expect(vocabSizeOf(config)).toBe(49152);
    expect(vocabSizeOf({ vocab_size: 0 })).toBeUndefined();
    expect(vocabSizeOf(undefined)).toBeUndefined();
    expect(assistantHeader(config)).toBe('<|im_start|>assistant\n');
    expect(assistantHeader({ conv_template: { roles: { assistant: 'Assistant' } } })).toBe('Assistant: ');
    expect(assistantHeader({})).toBeUndefined();
  });
});
