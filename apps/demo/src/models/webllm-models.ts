/**
 * The WebLLM models the picker offers: small ones from WebLLM's prebuilt catalogue, each in its f16
 * and f32 flavour. The engine worker serves them with WebLLM (its catalog: `webLlmDemoCatalog()`,
 * in webllm-catalog.ts, which lists an f16 model as its f32 variant on GPUs without shader-f16); WebLLM downloads their
 * files into its own Cache Storage the first time the engine loads one, so the page never downloads
 * them itself. Sizes are estimates (parameters x bits per weight, plus the group scales and the
 * tokenizer): WebLLM records none, and the engine's /v1/models says `size_bytes` from these.
 */
import type { CatalogModel } from './catalog.ts';

const webllm = (id: string, label: string, bytes: number, description: string): CatalogModel => ({
  id,
  label,
  ref: id,
  bytes,
  origin: 'webllm',
  description,
});

export const WEBLLM_MODELS: readonly CatalogModel[] = [
  webllm(
    'SmolLM2-135M-Instruct-q0f16-MLC',
    'SmolLM2 135M (WebLLM, f16)',
    276_000_000,
    'Tiny and quick on WebLLM; needs a GPU with shader-f16.',
  ),
  webllm(
    'SmolLM2-135M-Instruct-q0f32-MLC',
    'SmolLM2 135M (WebLLM, f32)',
    545_000_000,
    'The same model for GPUs without shader-f16.',
  ),
  webllm(
    'SmolLM2-360M-Instruct-q4f16_1-MLC',
    'SmolLM2 360M (WebLLM, 4-bit f16)',
    210_000_000,
    'Better answers in a 4-bit download; needs shader-f16.',
  ),
  webllm(
    'SmolLM2-360M-Instruct-q4f32_1-MLC',
    'SmolLM2 360M (WebLLM, 4-bit f32)',
    230_000_000,
    '4-bit, for GPUs without shader-f16.',
  ),
  webllm(
    'Qwen2.5-0.5B-Instruct-q4f16_1-MLC',
    'Qwen2.5 0.5B (WebLLM, 4-bit f16)',
    280_000_000,
    'Multilingual, follows instructions well.',
  ),
  webllm(
    'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
    'Qwen2.5 0.5B (WebLLM, 4-bit f32)',
    310_000_000,
    'Qwen2.5 0.5B for GPUs without shader-f16.',
  ),
  webllm(
    'Llama-3.2-1B-Instruct-q4f16_1-MLC',
    'Llama 3.2 1B (WebLLM, 4-bit f16)',
    700_000_000,
    'The largest here; no access token needed (MLC build).',
  ),
  webllm(
    'Llama-3.2-1B-Instruct-q4f32_1-MLC',
    'Llama 3.2 1B (WebLLM, 4-bit f32)',
    775_000_000,
    'Llama 3.2 1B for GPUs without shader-f16.',
  ),
];
