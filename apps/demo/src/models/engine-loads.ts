/**
 * Which model the engine holds in memory, and its loading progress. One model at a time: loading
 * another frees the previous one first (small devices cannot hold two).
 */
import type { EngineConnection, LoadProgress } from '../engine/connect.ts';
import { describeError, type ErrorInfo } from '../errors.ts';

export type LoadState =
  | { readonly kind: 'loading'; readonly progress: LoadProgress }
  | { readonly kind: 'loaded' }
  | { readonly kind: 'failed'; readonly error: ErrorInfo };

export function createEngineLoads(connection: Promise<EngineConnection>, onChange: () => void) {
  const states = new Map<string, LoadState>();
  const running = new Map<string, Promise<void>>();

  async function load(id: string): Promise<void> {
    const engine = await connection;
    for (const [other, state] of states) {
      if (other !== id && state.kind === 'loaded') {
        states.delete(other);
        await engine.unload(other).catch(() => {});
      }
    }
    states.set(id, { kind: 'loading', progress: { loaded: 0, total: null } });
    onChange();
    // Progress reports travel on their own channel and may arrive after the load's result: drop those.
    let settled = false;
    try {
      await engine.preload(id, (progress) => {
        if (settled) return;
        states.set(id, { kind: 'loading', progress });
        onChange();
      });
      states.set(id, { kind: 'loaded' });
    } catch (cause) {
      states.set(id, { kind: 'failed', error: describeError(cause) });
      throw cause;
    } finally {
      settled = true;
      onChange();
    }
  }

  return {
    get: (id: string): LoadState | null => states.get(id) ?? null,
    /** Loads the model unless it is loaded (or loading: then waits for that). */
    ensure(id: string): Promise<void> {
      if (states.get(id)?.kind === 'loaded') return Promise.resolve();
      let promise = running.get(id);
      if (!promise) {
        promise = load(id).finally(() => running.delete(id));
        running.set(id, promise);
      }
      return promise;
    },
    forget(id: string): void {
      states.delete(id);
      onChange();
    },
  };
}

export type EngineLoads = ReturnType<typeof createEngineLoads>;
