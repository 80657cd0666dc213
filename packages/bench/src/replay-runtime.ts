/**
 * A bench-only runtime that answers every step at once with precomputed logits rows, so that
 * what is timed is the engine's own per-token work (sampling, detokenizing, chunking, SSE
 * encoding) and not a forward pass. It stands in for the model, nothing else.
 */
import type { KvSequence, Runtime, RuntimeFactory } from '@cinder/engine';

export function replayRuntime(vocabSize: number, contextLength: number, rows = 16): RuntimeFactory {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  const table = Array.from({ length: rows }, () => {
    const row = new Float32Array(vocabSize);
    for (let i = 0; i < vocabSize; i++) row[i] = (random() + random() + random() - 1.5) * 4;
    return row;
  });
  return {
    backend: 'replay',
    async load(): Promise<Runtime> {
      let nextId = 0;
      let turn = 0;
      const grow = (sequence: KvSequence, by: number) => {
        (sequence as { length: number }).length += by;
      };
      return {
        backend: 'replay',
        deviceSampling: false,
        model: { architecture: 'replay', vocabSize, contextLength, dtype: 'f32', weightBytes: 0 },
        createSequence: () => ({ id: nextId++, length: 0 }),
        async step(batch) {
          return batch.map((input) => {
            grow(input.sequence, input.tokens.length);
            return { logits: table[turn++ % rows].slice() };
          });
        },
        fork: (sequence, length = sequence.length) => ({ id: nextId++, length }),
        truncate: (sequence, length) => {
          (sequence as { length: number }).length = length;
        },
        release: () => {},
        dispose: async () => {},
      };
    },
  };
}
