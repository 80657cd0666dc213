/**
 * The KV cache: one GPU buffer per layer holding pages of PAGE_SIZE positions (page p =
 * [K: PAGE x kvDim][V: PAGE x kvDim], f32). A sequence owns a list of pages; its position t lives
 * in page pages[t / PAGE] at slot t % PAGE. All sequences share the buffers, so one dispatch can
 * serve a whole batch. Fork copies pages, truncate frees whole pages past the new length, and
 * the pool doubles (copying its contents) when it runs out, up to one storage binding per layer.
 */
import type { KvSequence } from '@cinder/engine';
import { WebGpuError } from './gpu/errors.ts';
import { STORAGE } from './gpu/usage.ts';
import { PAGE_SIZE } from './kernels/model-dims.ts';

export class GpuSequence implements KvSequence {
  length = 0;
  pages: number[] = [];
  constructor(readonly id: number) {}
}

export class KvPool {
  buffers: GPUBuffer[] = [];
  capacity = 0;
  /** Bumped whenever `buffers` are replaced: kernels bound to the old ones must be rebuilt. */
  generation = 0;
  private free: number[] = [];
  private scratch: GPUBuffer | null = null;
  readonly pageBytes: number;
  readonly maxPages: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly numLayers: number,
    kvDim: number,
    maxBindingBytes: number,
    initialPages: number,
  ) {
    this.pageBytes = 2 * PAGE_SIZE * kvDim * 4;
    this.maxPages = Math.floor(maxBindingBytes / this.pageBytes);
    if (this.maxPages < 1) {
      throw new WebGpuError(
        'model_too_large',
        `One KV-cache page needs ${this.pageBytes} bytes, over the binding limit.`,
      );
    }
    this.grow(Math.min(this.maxPages, Math.max(1, initialPages)));
  }

  /** Positions the pool can hold in all (one binding per layer). */
  get maxPositions(): number {
    return this.maxPages * PAGE_SIZE;
  }

  /** Gives `sequence` pages for `length` positions (allocating, growing the pool if needed). */
  reserve(sequence: GpuSequence, length: number): void {
    const needed = Math.ceil(length / PAGE_SIZE) - sequence.pages.length;
    if (needed <= 0) return;
    if (needed > this.free.length) {
      const used = this.capacity - this.free.length;
      if (used + needed > this.maxPages) {
        throw new WebGpuError(
          'kv_cache_full',
          `The KV cache is full: ${used * PAGE_SIZE} positions are cached and ${length} more are needed; one layer's cache may use at most ${this.maxPages * PAGE_SIZE} positions on this GPU.`,
        );
      }
      this.grow(Math.min(this.maxPages, Math.max(2 * this.capacity, used + needed)));
    }
    for (let i = 0; i < needed; i++) sequence.pages.push(this.free.pop()!);
  }

  /** Frees pages past `length` positions. */
  shrink(sequence: GpuSequence, length: number): void {
    const keep = Math.ceil(length / PAGE_SIZE);
    while (sequence.pages.length > keep) this.free.push(sequence.pages.pop()!);
  }

  release(sequence: GpuSequence): void {
    this.shrink(sequence, 0);
  }

  /**
   * Copies the first `length` positions of `from` into `to` (pages reserved). WebGPU cannot copy
   * within one buffer, so pages go through a scratch buffer, one layer at a time.
   */
  copyPrefix(from: GpuSequence, to: GpuSequence, length: number): GPUCommandBuffer | null {
    const pages = Math.ceil(length / PAGE_SIZE);
    if (pages === 0) return null;
    const bytes = pages * this.pageBytes;
    if (!this.scratch || this.scratch.size < bytes) {
      this.scratch?.destroy();
      this.scratch = this.device.createBuffer({ label: 'kv scratch', size: bytes, usage: STORAGE });
    }
    const encoder = this.device.createCommandEncoder({ label: 'kv fork' });
    for (const buffer of this.buffers) {
      for (let p = 0; p < pages; p++) {
        encoder.copyBufferToBuffer(
          buffer,
          from.pages[p] * this.pageBytes,
          this.scratch,
          p * this.pageBytes,
          this.pageBytes,
        );
      }
      for (let p = 0; p < pages; p++) {
        encoder.copyBufferToBuffer(
          this.scratch,
          p * this.pageBytes,
          buffer,
          to.pages[p] * this.pageBytes,
          this.pageBytes,
        );
      }
    }
    return encoder.finish();
  }

  destroy(): void {
    for (const buffer of this.buffers) buffer.destroy();
    this.scratch?.destroy();
    this.buffers = [];
  }

  private grow(pages: number): void {
    const buffers = Array.from({ length: this.numLayers }, (_, layer) =>
      this.device.createBuffer({ label: `kv layer ${layer}`, size: pages * this.pageBytes, usage: STORAGE }),
    );
    if (this.capacity > 0) {
      const encoder = this.device.createCommandEncoder({ label: 'kv grow' });
      this.buffers.forEach((old, layer) => {
        encoder.copyBufferToBuffer(old, 0, buffers[layer], 0, old.size);
      });
      this.device.queue.submit([encoder.finish()]);
      for (const old of this.buffers) old.destroy();
    }
    // Hand out low page numbers first.
    for (let page = pages - 1; page >= this.capacity; page--) this.free.push(page);
    this.free.sort((a, b) => b - a);
    this.buffers = buffers;
    this.capacity = pages;
    this.generation++;
  }
}
