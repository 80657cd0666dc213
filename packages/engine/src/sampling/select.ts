/**
 * Partial selection over a logits row in O(V): the k largest entries without sorting the
 * vocabulary. A small min-heap holds the best k seen so far; most entries are rejected by one
 * comparison with the heap's smallest.
 */

/** Ids of the k largest values (NaN ignored), sorted by value descending, ties to the lower id. */
export function topKIndices(values: Float32Array, k: number): number[] {
  const heap = topKHeap(values, k);
  return Array.from(heap).sort((a, b) => values[b] - values[a] || a - b);
}

/** The k-th largest value (k >= 1), or -Infinity when there are fewer than k numbers. */
export function kthLargest(values: Float32Array, k: number): number {
  const heap = topKHeap(values, k);
  return heap.length < k ? Number.NEGATIVE_INFINITY : values[heap[0]];
}

/** The ids of the k largest values as a heap whose root (index 0) is the smallest of them. */
function topKHeap(values: Float32Array, k: number): Int32Array {
  k = Math.min(k, values.length);
  if (k <= 0) return new Int32Array(0);
  // Heap of ids ordered so that the root is the "worst": smallest value, then highest id.
  const heap = new Int32Array(k);
  let size = 0;
  const worse = (a: number, b: number) => values[a] < values[b] || (values[a] === values[b] && a > b);

  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < size && worse(heap[l], heap[m])) m = l;
      if (r < size && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  const siftUp = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) return;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };

  for (let id = 0; id < values.length; id++) {
    const v = values[id];
    if (Number.isNaN(v)) continue;
    if (size < k) {
      heap[size++] = id;
      siftUp(size - 1);
    } else if (v > values[heap[0]]) {
      // Strictly greater: on equal values the earlier (lower) id already in the heap stays.
      heap[0] = id;
      siftDown(0);
    }
  }
  return heap.subarray(0, size);
}
