/**
 * Working memory of the forward pass. `RunState` holds every activation buffer, allocated once
 * per runtime so `forward` allocates nothing; each sequence has its own `KvCache`.
 */
import type { LlamaFamilyConfig } from '@cinder/model-format';

export interface RunState {
  readonly x: Float32Array; // (hidden)     the residual stream at the current position
  readonly xb: Float32Array; // (hidden)    x after RMSNorm
  readonly xb2: Float32Array; // (hidden)   an attention or MLP output, before the residual add
  readonly q: Float32Array; // (qDim)       query
  readonly k: Float32Array; // (kvDim)      key, before it is copied into the cache
  readonly v: Float32Array; // (kvDim)      value, likewise
  readonly attentionOut: Float32Array; // (qDim)  per-head attention results, concatenated
  readonly hb: Float32Array; // (inter)     gate projection, then silu(gate) * up
  readonly hb2: Float32Array; // (inter)    up projection
  readonly cos: Float32Array; // (headDim / 2)  RoPE rotation at the current position
  readonly sin: Float32Array; // (headDim / 2)
  readonly scores: Float32Array; // (contextLength)  attention weights of one head
  readonly logits: Float32Array; // (vocab)
}

export function createRunState(config: LlamaFamilyConfig, contextLength: number): RunState {
  const qDim = config.numHeads * config.headDim;
  const kvDim = config.numKvHeads * config.headDim;
  return {
    x: new Float32Array(config.hiddenSize),
    xb: new Float32Array(config.hiddenSize),
    xb2: new Float32Array(config.hiddenSize),
    q: new Float32Array(qDim),
    k: new Float32Array(kvDim),
    v: new Float32Array(kvDim),
    attentionOut: new Float32Array(qDim),
    hb: new Float32Array(config.intermediateSize),
    hb2: new Float32Array(config.intermediateSize),
    cos: new Float32Array(config.headDim / 2),
    sin: new Float32Array(config.headDim / 2),
    scores: new Float32Array(contextLength),
    logits: new Float32Array(config.vocabSize),
  };
}

/** Positions added to a cache at a time when it runs out of room. */
export const KV_CACHE_CHUNK = 64;

/**
 * One sequence's keys and values: per layer, `capacity` rows of kvDim floats (row t = position t).
 * `length` positions are valid. Grows in chunks of KV_CACHE_CHUNK up to `maxLength`.
 */
export class KvCache {
  readonly id: number;
  length = 0;
  capacity = 0;
  keys: Float32Array[]; // (layer) -> (capacity, kvDim)
  values: Float32Array[]; // (layer) -> (capacity, kvDim)

  constructor(
    id: number,
    readonly numLayers: number,
    readonly kvDim: number,
    readonly maxLength: number,
  ) {
    this.id = id;
    this.keys = Array.from({ length: numLayers }, () => new Float32Array(0));
    this.values = Array.from({ length: numLayers }, () => new Float32Array(0));
  }

  /** Makes room for `length` positions (keeping the cached ones). */
  reserve(length: number): void {
    if (length <= this.capacity) return;
    if (length > this.maxLength) {
      throw new RangeError(`Sequence needs ${length} positions; the context length is ${this.maxLength}`);
    }
    const capacity = Math.min(this.maxLength, Math.ceil(length / KV_CACHE_CHUNK) * KV_CACHE_CHUNK);
    const grow = (old: Float32Array) => {
      const bigger = new Float32Array(capacity * this.kvDim);
      bigger.set(old.subarray(0, this.length * this.kvDim));
      return bigger;
    };
    this.keys = this.keys.map(grow);
    this.values = this.values.map(grow);
    this.capacity = capacity;
  }

  /** Stores the key and value of `layer` at position `pos` (room must be reserved). */
  store(layer: number, pos: number, k: Float32Array, v: Float32Array): void {
    this.keys[layer].set(k, pos * this.kvDim);
    this.values[layer].set(v, pos * this.kvDim);
  }

  /** A new cache holding a copy of the first `length` positions. */
  copyPrefix(id: number, length: number): KvCache {
    const copy = new KvCache(id, this.numLayers, this.kvDim, this.maxLength);
    copy.reserve(length);
    for (let layer = 0; layer < this.numLayers; layer++) {
      copy.keys[layer].set(this.keys[layer].subarray(0, length * this.kvDim));
      copy.values[layer].set(this.values[layer].subarray(0, length * this.kvDim));
    }
    copy.length = length;
    return copy;
  }
}
