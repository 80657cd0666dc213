/**
 * A single-consumer async queue: the scheduler pushes, the consumer iterates.
 * `fail` ends the iteration with an error; `return()` by the consumer calls `onCancel`.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: ((result: IteratorResult<T>) => void) | null = null;
  private failWaiter: ((error: unknown) => void) | null = null;
  private isClosed = false;
  private error: unknown = null;
  private markClosed!: () => void;
  /** Resolves once the queue is closed, failed or returned. */
  readonly closed = new Promise<void>((resolve) => {
    this.markClosed = resolve;
  });

  constructor(private readonly onCancel: () => void = () => {}) {}

  push(item: T): void {
    if (this.isClosed) return;
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = this.failWaiter = null;
      resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  close(): void {
    if (this.isClosed) return;
    this.setClosed();
    if (this.waiter) {
      const resolve = this.waiter;
      this.waiter = this.failWaiter = null;
      resolve({ value: undefined, done: true });
    }
  }

  fail(error: unknown): void {
    if (this.isClosed) return;
    this.error = error ?? new Error('failed');
    this.setClosed();
    if (this.failWaiter) {
      const reject = this.failWaiter;
      this.waiter = this.failWaiter = null;
      reject(this.error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.error !== null) return Promise.reject(this.error);
    if (this.isClosed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = resolve;
      this.failWaiter = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.isClosed) {
      this.setClosed();
      this.items.length = 0;
      this.onCancel();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  private setClosed(): void {
    this.isClosed = true;
    this.markClosed();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
