/**
 * Wraps a real runtime and counts its steps, so tests can see when generation stops.
 * (A decorator over the real CPU runtime, not a mock: every step still runs the model.)
 */
import type { Runtime, RuntimeFactory } from '@cinder/engine';

export interface CountingFactory extends RuntimeFactory {
  readonly steps: () => number;
}

export function countingRuntime(inner: RuntimeFactory): CountingFactory {
  let steps = 0;
  return {
    backend: inner.backend,
    steps: () => steps,
    async load(source, options) {
      const runtime = await inner.load(source, options);
      const counted: Runtime = {
        backend: runtime.backend,
        deviceSampling: runtime.deviceSampling,
        model: runtime.model,
        createSequence: () => runtime.createSequence(),
        step: (batch) => {
          steps++;
          return runtime.step(batch);
        },
        fork: (sequence, length) => runtime.fork(sequence, length),
        truncate: (sequence, length) => runtime.truncate(sequence, length),
        release: (sequence) => runtime.release(sequence),
        dispose: () => runtime.dispose(),
      };
      return counted;
    },
  };
}
