/**
 * The real WebLLM for this page's worker: host-worker's default binding (runtime-webllm's loadWebLlm,
 * createWebLlmEngine and webLlmStorage over @mlc-ai/web-llm), given WebLLM's prebuilt app config.
 */
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import type { WebLlmAppConfig } from '../../packages/host-worker/src/webllm-binding.ts';
import { defaultWebLlm } from '../../packages/host-worker/src/webllm-default.ts';

export const realWebLlm = defaultWebLlm(prebuiltAppConfig as unknown as WebLlmAppConfig);
