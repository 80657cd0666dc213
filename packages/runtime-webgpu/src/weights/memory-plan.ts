/**
 * How much GPU memory a model needs in each storage dtype, checked against the adapter's limits
 * (and an optional budget) before anything is allocated, so a model that cannot fit fails at
 * once with a message that says what would.
 */
import type { LlamaFamilyConfig } from '@cinder/model-format';
import { WebGpuError } from '../gpu/errors.ts';
import { matrixBytes, WEIGHT_DTYPES, type WeightDtype } from './format.ts';
import { rowsPerChunk } from './gpu-matrix.ts';
import { matrixPlans } from './model-weights.ts';

export interface MemoryPlan {
  readonly weightBytes: number;
  /** KV cache bytes per cached token (all layers, keys and values, f32). */
  readonly kvBytesPerToken: number;
}

export function weightBytesOf(config: LlamaFamilyConfig, dtype: WeightDtype): number {
  let total = 0;
  for (const plan of matrixPlans(config)) {
    const size = matrixBytes(dtype, plan.rows, plan.cols);
    total += size.data + size.scales;
  }
  const vectors = config.numLayers * (2 * config.hiddenSize + (config.qkNorm ? 2 * config.headDim : 0));
  const qkvRows = (config.numHeads + 2 * config.numKvHeads) * config.headDim;
  const biases =
    config.numLayers * ((config.attentionBias ? qkvRows : 0) + (config.outputBias ? config.hiddenSize : 0));
  return total + (vectors + biases + config.hiddenSize) * 4;
}

export function planMemory(config: LlamaFamilyConfig, dtype: WeightDtype): MemoryPlan {
  return {
    weightBytes: weightBytesOf(config, dtype),
    kvBytesPerToken: config.numLayers * 2 * config.numKvHeads * config.headDim * 4,
  };
}

export interface FitLimits {
  readonly maxBindingBytes: number;
  /** Total bytes the model may use (weights + one full-context KV cache), when known. */
  readonly budgetBytes?: number;
}

/** Throws `model_too_large` naming what would fit, unless the model fits in `dtype`. */
export function checkFits(
  config: LlamaFamilyConfig,
  dtype: WeightDtype,
  contextLength: number,
  limits: FitLimits,
): void {
  for (const plan of matrixPlans(config)) rowsPerChunk(dtype, plan.rows, plan.cols, limits.maxBindingBytes);
  if (limits.budgetBytes === undefined) return;
  const need = (d: WeightDtype) => {
    const memory = planMemory(config, d);
    return memory.weightBytes + memory.kvBytesPerToken * contextLength;
  };
  if (need(dtype) <= limits.budgetBytes) return;
  const fits = WEIGHT_DTYPES.filter((d) => need(d) <= limits.budgetBytes!);
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  const sizes = WEIGHT_DTYPES.map((d) => `${d} ${mb(need(d))}`).join(', ');
  const advice =
    fits.length > 0
      ? `It would fit with dtype ${fits[0]}.`
      : `It does not fit in any dtype; a shorter context (${Math.floor(
          Math.max(0, limits.budgetBytes - planMemory(config, 'q4').weightBytes) /
            planMemory(config, 'q4').kvBytesPerToken,
        )} tokens at q4) or a smaller model would.`;
  throw new WebGpuError(
    'model_too_large',
    `The model needs ${mb(need(dtype))} as ${dtype} with a ${contextLength}-token context, over the ${mb(limits.budgetBytes)} budget (${sizes}). ${advice}`,
  );
}
