import type { LogitsProcessor } from './types.ts';

/** `allowed_token_ids`: every other token is removed. (The sampler's `sample` reads only these ids instead.) */
export function allowedTokensProcessor(allowedIds: readonly number[]): LogitsProcessor {
  const ids = [...new Set(allowedIds)];
  const kept = new Float32Array(ids.length);
  return {
    name: 'allowed-tokens',
    keptIds: ids,
    apply(logits) {
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j];
        kept[j] = id >= 0 && id < logits.length ? logits[id] : Number.NEGATIVE_INFINITY;
      }
      logits.fill(Number.NEGATIVE_INFINITY);
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j];
        if (id >= 0 && id < logits.length) logits[id] = kept[j];
      }
    },
  };
}
