/**
 * The WebGPU runtime: weights, KV cache and working memory on the GPU; a step records every
 * token of every sequence into one command buffer (one pass; very large steps split into a few),
 * submits it once, and reads back only the logits rows asked for and the sampled tokens.
 */
import type { DeviceSampling, KvSequence, ModelInfo, Runtime, StepInput, StepOutput } from '@cinder/engine';
import type { LlamaFamilyConfig } from '@cinder/model-format';
import { Forward } from './forward.ts';
import { assertAlive, type GpuContext } from './gpu/device.ts';
import { WebGpuError, withErrorScopes } from './gpu/errors.ts';
import { type GpuCounters, newCounters, Recorder } from './gpu/recorder.ts';
import { MapMode, READBACK, STORAGE, writeArray } from './gpu/usage.ts';
import { writePass } from './kernels/pass.ts';
import {
  createSample,
  encodeSampleBias,
  encodeSampleMask,
  encodeSampleParams,
  sampleMaskWords,
} from './kernels/sample.ts';
import { GpuSequence, KvPool } from './kv-pool.ts';
import { ReadbackPlan } from './readback.ts';
import { fillRopeTable, ropeInvFreq } from './rope-table.ts';
import { createGpuState, destroyGpuState, type GpuState } from './state.ts';
import { type PassPlan, planPasses } from './step-plan.ts';
import { destroyWeights, weightBytesPerToken } from './weights/load.ts';
import type { GpuWeights } from './weights/model-weights.ts';

export interface WebGpuRuntimeParts {
  readonly context: GpuContext;
  readonly config: LlamaFamilyConfig;
  readonly weights: GpuWeights;
  readonly contextLength: number;
  readonly dtype: string;
  readonly weightBytes: number;
  /** Storage bindings are at most this big (the device's limit, or less). */
  readonly maxBindingBytes: number;
  /** Barrier-free kernels, for CPU-emulated adapters (SwiftShader). */
  readonly serialKernels: boolean;
  /** Subgroup operations in the kernels that use them (the device has them). */
  readonly subgroups: boolean;
}

export class WebGpuRuntime implements Runtime {
  readonly backend = 'webgpu';
  readonly deviceSampling = true;
  /** Grammar masks are applied by the sampler kernel: a structured output reads back a token, not a row. */
  readonly deviceMasks = true;
  /** So are logit_bias and presence / frequency penalties (added in place, then put back). */
  readonly deviceBias = true;
  readonly model: ModelInfo;
  /** Dispatches, submits and bytes read back since load (for benchmarks). */
  readonly counters: GpuCounters = newCounters();
  /** Weight bytes a decode token reads (every matrix, one embedding row unless tied). */
  readonly weightBytesPerToken: number;
  private readonly context: GpuContext;
  private readonly config: LlamaFamilyConfig;
  private readonly weights: GpuWeights;
  private readonly state: GpuState;
  private readonly kv: KvPool;
  private readonly forward: Forward;
  private readonly sample: ReturnType<typeof createSample>;
  private readonly invFreq: Float32Array;
  private readonly sequences = new Map<number, GpuSequence>();
  private nextId = 1;
  private staging: GPUBuffer | null = null;
  /** The sampler's bias entries and the raw values it saves: grown when a pass needs more. */
  private biasBuffers: { bias: GPUBuffer; saved: GPUBuffer; words: number };
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(parts: WebGpuRuntimeParts) {
    const { context, config, weights, contextLength, maxBindingBytes } = parts;
    const { device } = context;
    this.context = context;
    this.config = config;
    this.model = {
      architecture: config.architecture,
      vocabSize: config.vocabSize,
      contextLength,
      dtype: parts.dtype,
      weightBytes: parts.weightBytes,
    };
    this.weights = weights;
    this.weightBytesPerToken = weightBytesPerToken(weights);
    this.state = createGpuState(device, config, contextLength, maxBindingBytes);
    const kvDim = config.numKvHeads * config.headDim;
    this.kv = new KvPool(device, config.numLayers, kvDim, maxBindingBytes, Math.ceil(contextLength / 64));
    this.forward = new Forward(
      device,
      config,
      weights,
      this.state,
      this.kv,
      parts.serialKernels,
      parts.subgroups,
    );
    // The sampler keeps its 256-thread workgroups on every adapter: one thread over a whole
    // vocabulary is too slow even on SwiftShader.
    this.biasBuffers = this.newBiasBuffers(2 * this.state.maxLogitRows + 2 * 1024);
    this.sample = createSample(
      device,
      {
        pass: this.state.pass,
        logits: this.state.logits,
        params: this.state.sampleParams,
        results: this.state.sampleResults,
        masks: this.state.sampleMasks,
        bias: this.biasBuffers.bias,
        saved: this.biasBuffers.saved,
      },
      { subgroups: parts.subgroups },
    );
    this.invFreq = ropeInvFreq(config.headDim, config.ropeTheta, config.ropeScaling);
  }

  createSequence(): KvSequence {
    this.live();
    const sequence = new GpuSequence(this.nextId++);
    this.sequences.set(sequence.id, sequence);
    return sequence;
  }

  step(batch: readonly StepInput[]): Promise<StepOutput[]> {
    // Steps run one at a time: they share the working buffers.
    const run = this.queue.then(() => this.runStep(batch));
    this.queue = run.catch(() => {});
    return run;
  }

  fork(sequence: KvSequence, length: number = sequence.length): KvSequence {
    const parent = this.sequenceOf(sequence);
    checkLength(length, parent);
    const child = new GpuSequence(this.nextId++);
    this.kv.reserve(child, length);
    const copy = this.kv.copyPrefix(parent, child, length);
    if (copy) this.context.device.queue.submit([copy]);
    child.length = length;
    this.sequences.set(child.id, child);
    return child;
  }

  truncate(sequence: KvSequence, length: number): void {
    const target = this.sequenceOf(sequence);
    checkLength(length, target);
    target.length = length;
    this.kv.shrink(target, length);
  }

  release(sequence: KvSequence): void {
    this.kv.release(this.sequenceOf(sequence));
    this.sequences.delete(sequence.id);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    this.sequences.clear();
    // The device is shared with other runtimes: free only what this one owns.
    this.forward.destroy();
    this.kv.destroy();
    this.staging?.destroy();
    this.biasBuffers.bias.destroy();
    this.biasBuffers.saved.destroy();
    destroyGpuState(this.state);
    destroyWeights(this.weights);
  }

  private async runStep(batch: readonly StepInput[]): Promise<StepOutput[]> {
    this.live();
    assertAlive(this.context);
    const sequences = batch.map((input) => this.sequenceOf(input.sequence));
    batch.forEach((input, i) => {
      this.check(input, sequences[i], sequences.indexOf(sequences[i]) !== i);
    });
    for (const [i, input] of batch.entries())
      this.kv.reserve(sequences[i], sequences[i].length + input.tokens.length);
    const passes = planPasses(batch, sequences, this.state);
    const readback = new ReadbackPlan(this.config.vocabSize);
    const bytes = ReadbackPlan.bytesOf(passes, this.config.vocabSize);
    const staging = bytes > 0 ? this.stagingFor(bytes) : null;

    const { device } = this.context;
    try {
      await withErrorScopes(device, 'running a step', () => {
        for (const pass of passes) {
          this.upload(pass);
          const rec = new Recorder(device, this.counters);
          this.forward.encode(rec, pass.dims);
          if (pass.dims.sampled > 0) this.sample.encode(rec, pass.dims);
          if (staging) readback.copyPass(rec, pass, this.state, staging);
          rec.submit();
        }
      });
      let outputs: StepOutput[];
      if (staging) {
        await this.whileAlive(staging.mapAsync(MapMode.READ, 0, bytes));
        outputs = readback.unpack(batch, staging.getMappedRange(0, bytes));
        staging.unmap();
        this.counters.readbackBytes += bytes;
      } else {
        // Nothing to read (a prefill chunk): the queue orders the next step after this one.
        outputs = readback.unpack(batch, new ArrayBuffer(0));
      }
      batch.forEach((input, i) => {
        sequences[i].length += input.tokens.length;
      });
      return outputs;
    } catch (error) {
      // A failure right after a device loss is reported as the loss (its promise may lag a tick).
      await Promise.race([device.lost, new Promise((resolve) => setTimeout(resolve, 0))]);
      assertAlive(this.context);
      throw error;
    }
  }

  /** Writes a pass's inputs: tokens, rows, page lists, rope angles, logits rows, draws. */
  private upload(pass: PassPlan): void {
    const { device } = this.context;
    const s = this.state;
    writePass(device, s.pass, pass.dims);
    writeArray(device, s.tokens, 0, pass.tokens);
    writeArray(device, s.rowInfo, 0, pass.rowInfo);
    if (pass.pageTable.length > s.maxPagesPerPass) throw new Error('page table overflow');
    writeArray(device, s.pageTable, 0, pass.pageTable);
    const table = new Float32Array(pass.positions.length * this.invFreq.length * 2);
    fillRopeTable(table, this.invFreq, pass.positions);
    writeArray(device, s.ropeTable, 0, table);
    if (pass.logitRowIndex.length > 0) writeArray(device, s.logitRowIndex, 0, pass.logitRowIndex);
    if (pass.dims.sampled > 0) {
      const vocab = this.config.vocabSize;
      const params = new Uint32Array(pass.dims.sampled * 8);
      const masked = pass.logitsRows.some((row) => row.sample?.allowed);
      const masks = masked ? new Uint32Array(pass.dims.sampled * sampleMaskWords(vocab)) : null;
      const draws: DeviceSampling[] = [];
      let index = 0;
      pass.logitsRows.forEach((row, r) => {
        if (!row.sample) return;
        if (masks) encodeSampleMask(masks, index, vocab, row.sample);
        draws.push(row.sample);
        encodeSampleParams(params, index++, r, vocab, row.sample);
      });
      writeArray(device, s.sampleParams, 0, params);
      if (masks) writeArray(device, s.sampleMasks, 0, masks);
      const bias = encodeSampleBias(draws, vocab);
      if (bias.length > this.biasBuffers.words) {
        this.biasBuffers.bias.destroy();
        this.biasBuffers.saved.destroy();
        this.biasBuffers = this.newBiasBuffers(2 * bias.length);
        this.sample.rebind(this.biasBuffers.bias, this.biasBuffers.saved);
      }
      writeArray(device, this.biasBuffers.bias, 0, bias);
    }
  }

  private newBiasBuffers(words: number): { bias: GPUBuffer; saved: GPUBuffer; words: number } {
    const { device } = this.context;
    return {
      bias: device.createBuffer({ label: 'sample bias', size: words * 4, usage: STORAGE }),
      saved: device.createBuffer({
        label: 'sample bias saved',
        size: Math.max(16, words * 2),
        usage: STORAGE,
      }),
      words,
    };
  }

  private stagingFor(bytes: number): GPUBuffer {
    if (!this.staging || this.staging.size < bytes) {
      this.staging?.destroy();
      const size = Math.ceil(bytes / 4096) * 4096;
      this.staging = this.context.device.createBuffer({ label: 'readback', size, usage: READBACK });
    }
    return this.staging;
  }

  /** Waits for GPU work, but fails instead of hanging when the device is lost meanwhile. */
  private async whileAlive<T>(work: Promise<T>): Promise<T> {
    const lost = this.context.device.lost.then(() => LOST);
    const result = await Promise.race([work, lost]);
    if (result === LOST) assertAlive(this.context);
    return result as T;
  }

  /**
   * Only disposal is checked here: sequence bookkeeping keeps working on a lost device, and the
   * next step reports the loss (so callers fail their requests instead of their scheduling loop).
   */
  private live(): void {
    if (this.disposed) throw new WebGpuError('runtime_disposed', 'This webgpu runtime has been disposed');
  }

  private sequenceOf(sequence: KvSequence): GpuSequence {
    this.live();
    const found = this.sequences.get(sequence.id);
    if (!found) throw new Error(`Sequence ${sequence.id} does not exist or was released`);
    return found;
  }

  /** Rejects a bad input before any work is done, so a failed step changes nothing. */
  private check(input: StepInput, sequence: GpuSequence, repeated: boolean): void {
    const { tokens } = input;
    if (repeated) throw new Error(`Sequence ${sequence.id} appears twice in one step`);
    if (input.logits === 'last' && tokens.length === 0) {
      throw new RangeError(`Sequence ${sequence.id}: logits 'last' needs at least one token`);
    }
    if (input.sample && tokens.length === 0) {
      throw new RangeError(`Sequence ${sequence.id}: sampling needs at least one token`);
    }
    if (sequence.length + tokens.length > this.model.contextLength) {
      throw new RangeError(
        `Sequence ${sequence.id}: ${sequence.length} cached + ${tokens.length} new tokens exceed the context length ${this.model.contextLength}`,
      );
    }
    for (let j = 0; j < tokens.length; j++) {
      const token = tokens[j];
      if (!Number.isInteger(token) || token < 0 || token >= this.model.vocabSize) {
        throw new RangeError(
          `Sequence ${sequence.id}: token id ${token} is outside the vocabulary [0, ${this.model.vocabSize})`,
        );
      }
    }
  }
}

const LOST = Symbol('device lost');

function checkLength(length: number, sequence: GpuSequence): void {
  if (!Number.isInteger(length) || length < 0 || length > sequence.length) {
    throw new RangeError(
      `Length ${length} is not within sequence ${sequence.id}'s ${sequence.length} cached tokens`,
    );
  }
}
