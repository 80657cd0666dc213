/**
 * Loads a checkpoint's tensors into GPU buffers by streaming: every buffer is created first (so
 * an allocation failure happens before any download), then each tensor is read in bounded row
 * batches, encoded (f32 / f16 / q8 / q4) and written with `queue.writeBuffer`. JS memory holds
 * one batch at a time; every 64 MB we wait for the queue so the driver's staging copies drain too.
 */
import type { LoadProgress } from '@cinder/engine';
import {
  type LlamaFamilyConfig,
  ModelFormatError,
  type ModelSource,
  type TensorStore,
} from '@cinder/model-format';
import type { GpuContext } from '../gpu/device.ts';
import { WebGpuError, withErrorScopes } from '../gpu/errors.ts';
import type { WeightDtype } from './format.ts';
import { createMatrix, createVector, destroyMatrix, type GpuMatrix, writeMatrixRows } from './gpu-matrix.ts';
import { type GpuLayerWeights, type GpuWeights, layerVectors, matrixPlans } from './model-weights.ts';
import { streamTensorRows } from './stream-rows.ts';

export interface LoadWeightsOptions {
  readonly dtype: WeightDtype;
  /** Matrices are split into chunks of at most this many bytes. */
  readonly maxBindingBytes: number;
  /** JS bytes per row batch (default 4 MB). */
  readonly batchBytes?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LoadProgress) => void;
}

const DRAIN_BYTES = 64 * 1024 * 1024;

export async function loadGpuWeights(
  context: GpuContext,
  source: ModelSource,
  store: TensorStore,
  config: LlamaFamilyConfig,
  options: LoadWeightsOptions,
): Promise<GpuWeights> {
  const { device } = context;
  const plans = matrixPlans(config);
  for (const plan of plans) {
    for (const part of plan.parts) checkShape(store, part.tensor, [part.rows, plan.cols]);
  }
  const matrices = new Map<string, GpuMatrix>();
  const vectors: GPUBuffer[] = [];
  try {
    await withErrorScopes(device, 'allocating the weights', () => {
      for (const plan of plans) {
        const matrix = createMatrix(
          device,
          plan.name,
          options.dtype,
          plan.rows,
          plan.cols,
          options.maxBindingBytes,
        );
        matrices.set(plan.name, matrix);
      }
    });

    const total = plans.reduce(
      (sum, plan) => sum + plan.parts.reduce((s, p) => s + store.info(p.tensor).byteLength, 0),
      0,
    );
    let loaded = 0;
    let sinceDrain = 0;
    for (const plan of plans) {
      const matrix = matrices.get(plan.name)!;
      for (const part of plan.parts) {
        const tensor = store.info(part.tensor);
        const batches = streamTensorRows(
          source,
          tensor,
          plan.cols,
          options.batchBytes ?? 4 << 20,
          options.signal,
        );
        for await (const batch of batches) {
          options.signal?.throwIfAborted();
          try {
            writeMatrixRows(device, matrix, part.rowOffset + batch.firstRow, batch.values);
          } catch (cause) {
            if (!(cause instanceof RangeError)) throw cause;
            throw new WebGpuError(
              'model_too_large',
              `Tensor ${part.tensor} cannot be stored as ${options.dtype}: ${cause.message}. Load it as f32 or q8.`,
            );
          }
          sinceDrain += batch.values.byteLength;
          if (sinceDrain >= DRAIN_BYTES) {
            sinceDrain = 0;
            await device.queue.onSubmittedWorkDone();
          }
        }
        loaded += tensor.byteLength;
        options.onProgress?.({ loaded, total, file: tensor.file });
      }
    }

    const vector = async (name: string, length: number) => {
      const values = await store.readF32(name, { shape: [length], signal: options.signal });
      const buffer = createVector(device, name, values);
      vectors.push(buffer);
      return buffer;
    };
    const layers: GpuLayerWeights[] = [];
    for (let layer = 0; layer < config.numLayers; layer++) {
      const names = layerVectors(config, layer);
      const p = `model.layers.${layer}.`;
      let qkvBias: GPUBuffer | null = null;
      if (names.qkvBias) {
        const parts = await Promise.all(
          names.qkvBias.map(({ tensor, length }) =>
            store.readF32(tensor, { shape: [length], signal: options.signal }),
          ),
        );
        const joined = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
        let offset = 0;
        for (const part of parts) {
          joined.set(part, offset);
          offset += part.length;
        }
        qkvBias = createVector(device, `${p}qkv_bias`, joined);
        vectors.push(qkvBias);
      }
      layers.push({
        inputNorm: await vector(names.inputNorm, config.hiddenSize),
        qkv: matrices.get(`${p}self_attn.qkv_proj.weight`)!,
        qkvBias,
        qNorm: names.qNorm ? await vector(names.qNorm, config.headDim) : null,
        kNorm: names.kNorm ? await vector(names.kNorm, config.headDim) : null,
        o: matrices.get(`${p}self_attn.o_proj.weight`)!,
        oBias: names.oBias ? await vector(names.oBias, config.hiddenSize) : null,
        postAttentionNorm: await vector(names.postAttentionNorm, config.hiddenSize),
        gate: matrices.get(`${p}mlp.gate_proj.weight`)!,
        up: matrices.get(`${p}mlp.up_proj.weight`)!,
        down: matrices.get(`${p}mlp.down_proj.weight`)!,
      });
    }
    const embedding = matrices.get('model.embed_tokens.weight')!;
    const finalNorm = await vector('model.norm.weight', config.hiddenSize);
    await device.queue.onSubmittedWorkDone();
    return {
      embedding,
      layers,
      finalNorm,
      lmHead: config.tieWordEmbeddings ? embedding : matrices.get('lm_head.weight')!,
    };
  } catch (error) {
    for (const matrix of matrices.values()) destroyMatrix(matrix);
    for (const buffer of vectors) buffer.destroy();
    throw error;
  }
}

export function destroyWeights(weights: GpuWeights): void {
  const matrices = new Set<GpuMatrix>([weights.embedding, weights.lmHead]);
  const buffers = new Set<GPUBuffer>([weights.finalNorm]);
  for (const layer of weights.layers) {
    for (const matrix of [layer.qkv, layer.o, layer.gate, layer.up, layer.down]) matrices.add(matrix);
    for (const buffer of [
      layer.inputNorm,
      layer.qkvBias,
      layer.qNorm,
      layer.kNorm,
      layer.oBias,
      layer.postAttentionNorm,
    ]) {
      if (buffer) buffers.add(buffer);
    }
  }
  for (const matrix of matrices) destroyMatrix(matrix);
  for (const buffer of buffers) buffer.destroy();
}

/** Bytes of every weight buffer (each matrix once, even when tied). */
export function gpuWeightBytes(weights: GpuWeights): number {
  const matrices = new Set<GpuMatrix>([weights.embedding, weights.lmHead]);
  let vectorBytes = weights.finalNorm.size;
  for (const layer of weights.layers) {
    for (const matrix of [layer.qkv, layer.o, layer.gate, layer.up, layer.down]) matrices.add(matrix);
    for (const buffer of [
      layer.inputNorm,
      layer.qkvBias,
      layer.qNorm,
      layer.kNorm,
      layer.oBias,
      layer.postAttentionNorm,
    ]) {
      vectorBytes += buffer?.size ?? 0;
    }
  }
  return [...matrices].reduce((sum, matrix) => sum + matrix.bytes, vectorBytes);
}

/**
 * Weight bytes one decode token reads: every matrix once, except the embedding table of an
 * untied model, of which only one row is gathered (a tied table is read whole as the LM head).
 */
export function weightBytesPerToken(weights: GpuWeights): number {
  const total = gpuWeightBytes(weights);
  if (weights.embedding === weights.lmHead) return total;
  const { embedding } = weights;
  return total - embedding.bytes + Math.ceil(embedding.bytes / embedding.rows);
}

function checkShape(store: TensorStore, name: string, shape: readonly number[]): void {
  const info = store.info(name);
  if (info.shape.length !== shape.length || info.shape.some((size, i) => size !== shape[i])) {
    throw new ModelFormatError(
      `Tensor ${name} has shape [${info.shape.join(', ')}], expected [${shape.join(', ')}]`,
    );
  }
}
