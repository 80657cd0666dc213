/**
 * The CPU runtime: plain TypeScript, float32 weights, one forward pass per token.
 * Slow but simple; it is the oracle the other runtimes are tested against.
 */
import type {
  KvSequence,
  ModelInfo,
  Runtime,
  RuntimeFactory,
  RuntimeLoadOptions,
  StepInput,
  StepOutput,
} from '@cinder/engine';
import {
  type LlamaFamilyConfig,
  type ModelSource,
  openSafetensors,
  readLlamaConfig,
} from '@cinder/model-format';
import { createTransformer, forward, type Transformer } from './forward.ts';
import { createRunState, KvCache, type RunState } from './state.ts';
import { loadWeights, type TransformerWeights, weightTensors } from './weights.ts';

export const cpuRuntime: RuntimeFactory = {
  backend: 'cpu',
  async load(source: ModelSource, options: RuntimeLoadOptions = {}): Promise<Runtime> {
    if (options.dtype !== undefined && options.dtype !== 'f32') {
      throw new Error(`The cpu runtime keeps weights as f32; dtype ${options.dtype} is not supported`);
    }
    const config = await readLlamaConfig(source);
    const contextLength = chooseContextLength(config, options.contextLength);
    const store = await openSafetensors(source, { signal: options.signal });

    const tensors = weightTensors(config).map(({ name }) => store.info(name));
    const total = tensors.reduce((sum, tensor) => sum + tensor.byteLength, 0);
    const infos = new Map(tensors.map((tensor) => [tensor.name, tensor]));
    let loaded = 0;
    const weights = await loadWeights(store, config, {
      signal: options.signal,
      onTensor(name) {
        const tensor = infos.get(name)!;
        loaded += tensor.byteLength;
        options.onProgress?.({ loaded, total, file: tensor.file });
      },
    });
    return new CpuRuntime(createTransformer(config, weights), contextLength);
  },
};

/** The model's context, capped by the caller and by a sliding window (inside it, attention is exact). */
function chooseContextLength(config: LlamaFamilyConfig, requested: number | undefined): number {
  if (requested !== undefined && !(Number.isInteger(requested) && requested > 0)) {
    throw new RangeError(`contextLength must be a positive integer, got ${requested}`);
  }
  return Math.min(requested ?? Infinity, config.maxPositionEmbeddings, config.slidingWindow ?? Infinity);
}

export class CpuRuntime implements Runtime {
  readonly backend = 'cpu';
  readonly deviceSampling = false;
  readonly model: ModelInfo;
  private transformer: Transformer | null;
  private readonly state: RunState;
  private readonly sequences = new Map<number, KvCache>();
  private nextId = 1;

  constructor(transformer: Transformer, contextLength: number) {
    const { config, weights } = transformer;
    this.transformer = transformer;
    this.state = createRunState(config, contextLength);
    this.model = {
      architecture: config.architecture,
      vocabSize: config.vocabSize,
      contextLength,
      dtype: 'f32',
      weightBytes: weightBytes(weights),
    };
  }

  createSequence(): KvSequence {
    const { config } = this.live();
    const cache = new KvCache(
      this.nextId++,
      config.numLayers,
      config.numKvHeads * config.headDim,
      this.model.contextLength,
    );
    this.sequences.set(cache.id, cache);
    return cache;
  }

  async step(batch: readonly StepInput[]): Promise<StepOutput[]> {
    const transformer = this.live();
    const caches = batch.map((input) => this.cacheOf(input.sequence));
    batch.forEach((input, i) => {
      this.check(input, caches[i], caches.indexOf(caches[i]) !== i);
    });

    const vocabSize = this.model.vocabSize;
    return batch.map((input, i) => {
      const cache = caches[i];
      const count = input.tokens.length;
      const rows = input.logits === 'all' ? count : input.logits === 'last' ? 1 : 0;
      const out = new Float32Array(rows * vocabSize);
      cache.reserve(cache.length + count);
      for (let j = 0; j < count; j++) {
        const wanted = input.logits === 'all' || (input.logits === 'last' && j === count - 1);
        const logits = forward(transformer, this.state, cache, input.tokens[j], cache.length, wanted);
        cache.length++;
        if (logits) out.set(logits, input.logits === 'all' ? j * vocabSize : 0);
      }
      return { logits: out };
    });
  }

  fork(sequence: KvSequence, length: number = sequence.length): KvSequence {
    const cache = this.cacheOf(sequence);
    checkLength(length, cache);
    const copy = cache.copyPrefix(this.nextId++, length);
    this.sequences.set(copy.id, copy);
    return copy;
  }

  truncate(sequence: KvSequence, length: number): void {
    const cache = this.cacheOf(sequence);
    checkLength(length, cache);
    cache.length = length;
  }

  release(sequence: KvSequence): void {
    this.cacheOf(sequence);
    this.sequences.delete(sequence.id);
  }

  async dispose(): Promise<void> {
    this.sequences.clear();
    this.transformer = null;
  }

  private live(): Transformer {
    if (!this.transformer) throw new Error('This cpu runtime has been disposed');
    return this.transformer;
  }

  private cacheOf(sequence: KvSequence): KvCache {
    this.live();
    const cache = this.sequences.get(sequence.id);
    if (!cache) throw new Error(`Sequence ${sequence.id} does not exist or was released`);
    return cache;
  }

  /** Rejects a bad input before any work is done, so a failed step changes nothing. */
  private check(input: StepInput, cache: KvCache, repeated: boolean): void {
    const { tokens } = input;
    if (repeated) throw new Error(`Sequence ${cache.id} appears twice in one step`);
    if (input.logits === 'last' && tokens.length === 0) {
      throw new RangeError(`Sequence ${cache.id}: logits 'last' needs at least one token`);
    }
    if (cache.length + tokens.length > this.model.contextLength) {
      throw new RangeError(
        `Sequence ${cache.id}: ${cache.length} cached + ${tokens.length} new tokens exceed the context length ${this.model.contextLength}`,
      );
    }
    for (let j = 0; j < tokens.length; j++) {
      const token = tokens[j];
      if (!Number.isInteger(token) || token < 0 || token >= this.model.vocabSize) {
        throw new RangeError(
          `Sequence ${cache.id}: token id ${token} is outside the vocabulary [0, ${this.model.vocabSize})`,
        );
      }
    }
  }
}

function checkLength(length: number, cache: KvCache): void {
  if (!Number.isInteger(length) || length < 0 || length > cache.length) {
    throw new RangeError(
      `Length ${length} is not within sequence ${cache.id}'s ${cache.length} cached tokens`,
    );
  }
}

function weightBytes(weights: TransformerWeights): number {
  const arrays = new Set<Float32Array>([weights.tokenEmbedding, weights.finalNorm, weights.lmHead]);
  for (const layer of weights.layers) {
    for (const array of Object.values(layer)) if (array) arrays.add(array);
  }
  return [...arrays].reduce((sum, array) => sum + array.byteLength, 0);
}
