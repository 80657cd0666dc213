/**
 * What a step reads back: returned logits rows and sampled tokens, copied at the end of each
 * pass into one mappable staging buffer, then unpacked into StepOutputs. A sampled token costs
 * 4 bytes (its id); with logprobs 8 (id, logprob) plus 8 per requested top logprob.
 */
import type { SampledToken, StepInput, StepOutput } from '@cinder/engine';
import type { Recorder } from './gpu/recorder.ts';
import { sampleResultWords, sampleTopLogprobs } from './kernels/sample.ts';
import type { GpuState } from './state.ts';
import { SAMPLE_RESULT_WORDS } from './state.ts';
import type { PassPlan } from './step-plan.ts';

interface Slot {
  readonly input: number;
  readonly token: number;
  readonly offset: number;
  readonly kind: 'logits' | 'sample';
  /** Sampled slots: whether the logprob (and `topLogprobs` pairs) follow the token. */
  readonly logprob: boolean;
  readonly topLogprobs: number;
}

export class ReadbackPlan {
  readonly slots: Slot[] = [];
  bytes = 0;

  constructor(private readonly vocabSize: number) {}

  /** Records the copies of one pass into the staging buffer (after the pass's kernels). */
  copyPass(rec: Recorder, pass: PassPlan, state: GpuState, staging: GPUBuffer): void {
    const rowBytes = this.vocabSize * 4;
    let sampled = 0;
    pass.logitsRows.forEach((row, i) => {
      if (row.returned) {
        rec.copy(state.logits, i * rowBytes, staging, this.bytes, rowBytes);
        this.slots.push({
          input: row.input,
          token: row.token,
          offset: this.bytes,
          kind: 'logits',
          logprob: false,
          topLogprobs: 0,
        });
        this.bytes += rowBytes;
      }
      if (row.sample) {
        const size = sampleResultWords(row.sample) * 4;
        rec.copy(state.sampleResults, sampled * SAMPLE_RESULT_WORDS * 4, staging, this.bytes, size);
        this.slots.push({
          input: row.input,
          token: row.token,
          offset: this.bytes,
          kind: 'sample',
          logprob: row.sample.logprob,
          topLogprobs: sampleTopLogprobs(row.sample),
        });
        this.bytes += size;
        sampled++;
      }
    });
  }

  /** Bytes a step will read back, to size the staging buffer before recording. */
  static bytesOf(passes: readonly PassPlan[], vocabSize: number): number {
    let bytes = 0;
    for (const pass of passes) {
      for (const row of pass.logitsRows) {
        if (row.returned) bytes += vocabSize * 4;
        if (row.sample) bytes += sampleResultWords(row.sample) * 4;
      }
    }
    return bytes;
  }

  /** StepOutputs from the mapped staging bytes. */
  unpack(batch: readonly StepInput[], mapped: ArrayBuffer): StepOutput[] {
    const V = this.vocabSize;
    const logits = batch.map((input) => {
      const rows = input.logits === 'all' ? input.tokens.length : input.logits === 'last' ? 1 : 0;
      return new Float32Array(rows * V);
    });
    const sampled: (SampledToken | undefined)[] = batch.map(() => undefined);
    for (const slot of this.slots) {
      if (slot.kind === 'logits') {
        const row = batch[slot.input].logits === 'all' ? slot.token : 0;
        logits[slot.input].set(new Float32Array(mapped, slot.offset, V), row * V);
      } else if (!slot.logprob) {
        const token = new Uint32Array(mapped, slot.offset, 1)[0];
        sampled[slot.input] = { token, logprob: Number.NaN, top: [] };
      } else {
        const words = new Uint32Array(mapped, slot.offset, 2 + 2 * slot.topLogprobs);
        const floats = new Float32Array(mapped, slot.offset, 2 + 2 * slot.topLogprobs);
        const top = Array.from({ length: slot.topLogprobs }, (_, i) => ({
          id: words[2 + 2 * i],
          logprob: floats[3 + 2 * i],
        }));
        sampled[slot.input] = { token: words[0], logprob: floats[1], top };
      }
    }
    return batch.map((_, i) =>
      sampled[i] ? { logits: logits[i], sampled: sampled[i] } : { logits: logits[i] },
    );
  }
}
