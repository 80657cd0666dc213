/**
 * WebLLM's model catalog (`prebuiltAppConfig`, "the only source of truth of which prebuilt model
 * libraries are compatible" with this npm version) in cinder's terms, and the choice between a
 * model's f16 and f32 variants. Any `*f16*` quantization (q4f16_1, q0f16, q3f16_1) needs WebGPU's
 * `shader-f16`, whether or not its record declares `required_features` (only 30 of 86 do), so it
 * is read from the id as well; q4f32_1 / q0f32 run without it. Download sizes are not recorded by
 * WebLLM: `vramMB` (an estimate of its `utils/vram_requirements`) is the size there is.
 */
import { ApiError } from '@cinder/protocol';
import { type AppConfig, type ModelRecord, prebuiltAppConfig } from '@mlc-ai/web-llm';

export type WebLlmModelKind = 'llm' | 'embedding' | 'vlm';

export interface WebLlmModelInfo {
  readonly id: string;
  readonly kind: WebLlmModelKind;
  /** `vram_required_MB`: estimated GPU memory; null when the record has none. */
  readonly vramMB: number | null;
  /** `buffer_size_required_bytes`: the largest storage buffer binding needed, when recorded. */
  readonly bufferSizeBytes: number | null;
  /** `low_resource_required`: runs on low-resource devices (phones, integrated GPUs). */
  readonly lowResource: boolean;
  readonly needsShaderF16: boolean;
  /** `overrides.context_window_size`, when the record sets it. */
  readonly contextWindow: number | null;
}

const KINDS: Record<number, WebLlmModelKind> = { 0: 'llm', 1: 'embedding', 2: 'vlm' };
const F16_QUANT = /-(q\d+)f16(_\d+)?(?=-|$)/;

export function needsShaderF16(record: ModelRecord): boolean {
  return (record.required_features ?? []).includes('shader-f16') || F16_QUANT.test(record.model_id);
}

export function webLlmModels(appConfig: AppConfig = prebuiltAppConfig): WebLlmModelInfo[] {
  return appConfig.model_list.map((record) => ({
    id: record.model_id,
    kind: KINDS[record.model_type ?? 0] ?? 'llm',
    vramMB: record.vram_required_MB ?? null,
    bufferSizeBytes: record.buffer_size_required_bytes ?? null,
    lowResource: record.low_resource_required === true,
    needsShaderF16: needsShaderF16(record),
    contextWindow: record.overrides?.context_window_size ?? null,
  }));
}

/**
 * The id to load on this device: `modelId` itself when the GPU has shader-f16 or the model does not
 * need it, else its f32 variant (q4f16_1 -> q4f32_1, q0f16 -> q0f32). Throws a 404 for an unknown
 * id and a 400 naming the model when no f32 variant exists.
 */
export function pickWebLlmVariant(
  modelId: string,
  device: { readonly shaderF16: boolean },
  appConfig: AppConfig = prebuiltAppConfig,
): string {
  const record = appConfig.model_list.find((r) => r.model_id === modelId);
  if (!record) {
    throw new ApiError(404, `The WebLLM model '${modelId}' is not in the app config.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  if (device.shaderF16 || !needsShaderF16(record)) return modelId;
  const f32 = modelId.replace(F16_QUANT, (_, q: string, suffix = '') => `-${q}f32${suffix}`);
  const variant = appConfig.model_list.find((r) => r.model_id === f32 && !needsShaderF16(r));
  if (variant) return variant.model_id;
  throw new ApiError(
    400,
    `The WebLLM model '${modelId}' needs WebGPU's shader-f16 feature, which this device lacks, and it has no f32 variant (looked for '${f32}'). Choose a q4f32_1 or q0f32 model.`,
    { param: 'model', code: 'shader_f16_required' },
  );
}

/** Minimal shape of `navigator.gpu` used here. */
export interface GpuLike {
  requestAdapter(): Promise<{ readonly features: { has(feature: string): boolean } } | null>;
}

/** Whether the device's WebGPU adapter offers shader-f16 (false without WebGPU). Ask before any download. */
export async function hasShaderF16(gpu: GpuLike | undefined = defaultGpu()): Promise<boolean> {
  if (!gpu) return false;
  try {
    const adapter = await gpu.requestAdapter();
    return adapter?.features.has('shader-f16') ?? false;
  } catch {
    return false;
  }
}

export function defaultGpu(): GpuLike | undefined {
  return (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
}
