/**
 * The forward pass on the GPU: the kernels of one pass, recorded into one command buffer in the
 * order of runtime-cpu's `forward` (Hugging Face's LlamaDecoderLayer), but for every token of
 * the pass at once:
 *
 *   embedding
 *   per layer:  qkv      = (rmsnorm x) . Wqkv (+ bias)                  matmul, norm fused
 *               q, k     = rope(qk-norm(q, k)); cache[pos] = k, v        rope
 *               att      = attention(q, cache[0..pos])                  attention + reduce
 *               x       += att . Wo (+ bias)                            matmul, residual fused
 *               h        = silu((rmsnorm x) . Wgate) * ((rmsnorm x) . Wup)   matmul, swiglu fused
 *               x       += h . Wdown                                    matmul, residual fused
 *   final norm (rows that want logits only), LM head
 *
 * 7 dispatches per layer, plus embedding, final norm, LM head (one per weight chunk) and sampling.
 */
import type { LlamaFamilyConfig } from '@cinder/model-format';
import type { Recorder } from './gpu/recorder.ts';
import { createAttention } from './kernels/attention.ts';
import { createEmbedding } from './kernels/embedding.ts';
import { createMatmul } from './kernels/matmul.ts';
import { createModelDims } from './kernels/model-dims.ts';
import type { PassDims } from './kernels/pass.ts';
import { createRmsnorm } from './kernels/rmsnorm.ts';
import { createRope } from './kernels/rope.ts';
import type { KvPool } from './kv-pool.ts';
import type { GpuState } from './state.ts';
import type { GpuWeights } from './weights/model-weights.ts';

interface Op {
  encode(rec: Recorder, dims: PassDims): void;
  destroy?(): void;
}

export class Forward {
  private readonly modelDims: GPUBuffer;
  private readonly before: Op[];
  private readonly layers: { readonly qkv: Op; readonly rest: readonly Op[] }[];
  private readonly head: Op[];
  private cacheOps: Op[][] = [];
  private cacheGeneration = -1;

  constructor(
    private readonly device: GPUDevice,
    private readonly config: LlamaFamilyConfig,
    private readonly weights: GpuWeights,
    private readonly state: GpuState,
    private readonly kv: KvPool,
    /** Barrier-free kernels (for CPU-emulated adapters). */
    private readonly serial: boolean,
    /** Subgroup reductions in the matvec kernels (the device has subgroups). */
    subgroups = false,
  ) {
    const s = state;
    const eps = config.rmsNormEps;
    const kernels = { serial, subgroups };
    this.modelDims = createModelDims(device, config);
    this.before = [
      createEmbedding(device, { pass: s.pass, tokens: s.tokens, table: weights.embedding, x: s.x }),
    ];
    this.layers = weights.layers.map((w) => ({
      qkv: createMatmul(
        device,
        { pass: s.pass, x: s.x, weight: w.qkv, out: s.qkv },
        { epilogue: 'store', norm: { weight: w.inputNorm, eps }, bias: w.qkvBias ?? undefined, ...kernels },
      ),
      rest: [
        createMatmul(
          device,
          { pass: s.pass, x: s.attention, weight: w.o, out: s.x },
          { epilogue: 'residual', bias: w.oBias ?? undefined, ...kernels },
        ),
        createMatmul(
          device,
          { pass: s.pass, x: s.x, weight: w.gate, up: w.up, out: s.hidden },
          { epilogue: 'swiglu', norm: { weight: w.postAttentionNorm, eps }, ...kernels },
        ),
        createMatmul(
          device,
          { pass: s.pass, x: s.hidden, weight: w.down, out: s.x },
          { epilogue: 'residual', ...kernels },
        ),
      ],
    }));
    this.head = [
      createRmsnorm(
        device,
        { hidden: config.hiddenSize, eps },
        { pass: s.pass, x: s.x, rowIndex: s.logitRowIndex, weight: weights.finalNorm, out: s.xFinal },
      ),
      createMatmul(
        device,
        { pass: s.pass, x: s.xFinal, weight: weights.lmHead, out: s.logits },
        { epilogue: 'store', rows: 'logit_rows', ...kernels },
      ),
    ];
  }

  /** Records the pass: everything up to the logits of the rows that want them. */
  encode(rec: Recorder, dims: PassDims): void {
    const cacheOps = this.opsOnCache();
    for (const op of this.before) op.encode(rec, dims);
    this.layers.forEach((layer, l) => {
      layer.qkv.encode(rec, dims);
      for (const op of cacheOps[l]) op.encode(rec, dims);
      for (const op of layer.rest) op.encode(rec, dims);
    });
    if (dims.logitRows > 0) for (const op of this.head) op.encode(rec, dims);
  }

  /** rope and attention bind the KV pool's buffers: rebuilt when the pool grows. */
  private opsOnCache(): Op[][] {
    if (this.cacheGeneration === this.kv.generation) return this.cacheOps;
    const { device, config, state: s } = this;
    const common = { pass: s.pass, modelDims: this.modelDims, rowInfo: s.rowInfo, pageTable: s.pageTable };
    this.cacheOps = this.weights.layers.map((w, l) => [
      createRope(device, config.numHeads + config.numKvHeads, {
        ...common,
        qkv: s.qkv,
        ropeTable: s.ropeTable,
        cache: this.kv.buffers[l],
        qNorm: w.qNorm ?? undefined,
        kNorm: w.kNorm ?? undefined,
      }),
      createAttention(
        device,
        config.numHeads,
        { ...common, qkv: s.qkv, cache: this.kv.buffers[l], partials: s.partials, out: s.attention },
        this.serial,
      ),
    ]);
    this.cacheGeneration = this.kv.generation;
    return this.cacheOps;
  }

  /** Frees the uniform buffers the kernels own. */
  destroy(): void {
    this.modelDims.destroy();
    const ops = [...this.before, ...this.head, ...this.layers.flatMap((layer) => [layer.qkv, ...layer.rest])];
    for (const op of ops) op.destroy?.();
  }
}
