/**
 * One request at a time on a WebLLM engine. WebLLM serializes generations itself, but its
 * interrupt flag is engine-wide and the KV cache / last message are shared, so the adapter holds a
 * slot for the whole request (a stream: until it ends or is left) and only then starts the next.
 * Waiting requests are admitted lowest `priority` first, then in arrival order (vLLM's rule, as
 * cinder's scheduler). A request aborted while waiting leaves the queue at once.
 */

interface Waiter {
  readonly priority: number;
  readonly order: number;
  readonly admit: () => void;
}

export type Release = () => void;

export class RequestQueue {
  #busy = false;
  #order = 0;
  #waiting: Waiter[] = [];

  /** Resolves when the slot is ours; call the returned function exactly once to give it back. */
  acquire(priority = 0, signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (!this.#busy) {
      this.#busy = true;
      return Promise.resolve(this.#releaser());
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        priority,
        order: this.#order++,
        admit: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.#releaser());
        },
      };
      const onAbort = () => {
        this.#waiting = this.#waiting.filter((w) => w !== waiter);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
      this.#waiting.sort((a, b) => a.priority - b.priority || a.order - b.order);
    });
  }

  get pending(): number {
    return this.#waiting.length;
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next.admit();
      else this.#busy = false;
    };
  }
}
