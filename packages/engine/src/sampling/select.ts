/**
 * Partial selection over a logits row in O(V): the k largest entries without sorting the
 * vocabulary. A min-heap holds the best k seen so far (ids and values side by side); once it is
 * full, almost every entry is rejected by one comparison with its smallest value, kept in a local.
 */

/** Reusable selection of the k largest values of a row; its buffers grow as needed. */
export class TopK {
  /** Heap of selected ids; index 0 holds the "worst": smallest value, then highest id. */
  ids = new Int32Array(0);
  values = new Float64Array(0);
  size = 0;

  /** Selects the k largest of values (NaN ignored; on equal values lower ids win). Returns the count. */
  select(values: Float32Array, k: number): number {
    k = Math.min(k, values.length);
    this.size = 0;
    if (k <= 0) return 0;
    if (this.ids.length < k) {
      this.ids = new Int32Array(k);
      this.values = new Float64Array(k);
    }
    const n = values.length;
    let id = 0;
    // Fill: the first k numbers.
    for (; id < n && this.size < k; id++) {
      const v = values[id];
      if (Number.isNaN(v)) continue;
      this.ids[this.size] = id;
      this.values[this.size] = v;
      this.siftUp(this.size++);
    }
    // Strictly greater than the smallest kept: on equal values the lower id already kept stays.
    let floor = this.values[0];
    for (; id < n; id++) {
      const v = values[id];
      if (v > floor) {
        this.ids[0] = id;
        this.values[0] = v;
        this.siftDown(0);
        floor = this.values[0];
      }
    }
    return this.size;
  }

  /** After select: the k-th largest value, or -Infinity when there were fewer than k numbers. */
  kth(k: number): number {
    return this.size < k || this.size === 0 ? Number.NEGATIVE_INFINITY : this.values[0];
  }

  /** After select: the largest value (-Infinity for none). */
  max(): number {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.size; i++) if (this.values[i] > max) max = this.values[i];
    return max;
  }

  /** After select: the selected ids, largest value first, ties to the lower id. */
  sorted(): number[] {
    const order = Array.from({ length: this.size }, (_, i) => i);
    order.sort((a, b) => this.values[b] - this.values[a] || this.ids[a] - this.ids[b]);
    return order.map((i) => this.ids[i]);
  }

  private worse(a: number, b: number): boolean {
    const va = this.values[a];
    const vb = this.values[b];
    return va < vb || (va === vb && this.ids[a] > this.ids[b]);
  }

  private swap(a: number, b: number): void {
    const id = this.ids[a];
    const v = this.values[a];
    this.ids[a] = this.ids[b];
    this.values[a] = this.values[b];
    this.ids[b] = id;
    this.values[b] = v;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.size && this.worse(l, m)) m = l;
      if (r < this.size && this.worse(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

/** Ids of the k largest values (NaN ignored), sorted by value descending, ties to the lower id. */
export function topKIndices(values: Float32Array, k: number): number[] {
  const top = new TopK();
  top.select(values, k);
  return top.sorted();
}

/** The k-th largest value (k >= 1), or -Infinity when there are fewer than k numbers. */
export function kthLargest(values: Float32Array, k: number): number {
  const top = new TopK();
  top.select(values, k);
  return top.kth(k);
}
