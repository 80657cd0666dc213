import type { LogitsProcessor } from './types.ts';

/** Divide logits by the temperature (> 0; temperature 0 means greedy and skips this). */
export function temperatureProcessor(temperature: number): LogitsProcessor {
  const inverse = 1 / temperature;
  return {
    name: 'temperature',
    apply(logits) {
      for (let i = 0; i < logits.length; i++) logits[i] *= inverse;
    },
  };
}
