/**
 * A list of candidate tokens for a draw: ids (ascending), processed logits, and softmax weights
 * relative to the top candidate (which weighs 1). One shared instance serves every sampler:
 * sampling is synchronous, so one draw never interleaves with another, and the memory stays one
 * vocabulary's worth however many sequences are decoding.
 */
export class Candidates {
  ids = new Int32Array(0);
  values = new Float32Array(0);
  weights = new Float64Array(0);
  count = 0;

  /** Room for n candidates (keeps the buffers when they are big enough). */
  reserve(n: number): void {
    if (this.ids.length >= n) return;
    this.ids = new Int32Array(n);
    this.values = new Float32Array(n);
    this.weights = new Float64Array(n);
  }
}

export const sharedCandidates = new Candidates();
