import type { StepInput } from '@cinder/engine';
import { describe, expect, it } from 'vitest';
import { GpuSequence } from './kv-pool.ts';
import { attentionSplit, planPasses } from './step-plan.ts';

function sequence(id: number, length: number, pages: number[]): GpuSequence {
  const s = new GpuSequence(id);
  s.length = length;
  s.pages = pages;
  return s;
}

describe('planPasses', () => {
  const a = sequence(1, 62, [4, 7]);
  const b = sequence(2, 0, [2]);
  const greedy = { temperature: 0, topK: 0, topP: 1, uniform: 0, logprob: false, topLogprobs: 0 };
  const batch: StepInput[] = [
    { sequence: a, tokens: [10, 11, 12], logits: 'all' },
    { sequence: b, tokens: [20, 21], logits: 'none', sample: greedy },
  ];

  it('puts every token of every sequence in one pass, with positions and page lists', () => {
    const [pass, ...rest] = planPasses(batch, [a, b], { maxRows: 128, maxLogitRows: 64 });
    expect(rest).toHaveLength(0);
    expect([...pass.tokens]).toEqual([10, 11, 12, 20, 21]);
    expect(pass.positions).toEqual([62, 63, 64, 0, 1]);
    // a's rows reach position 64: both its pages; b's list starts after them.
    expect([...pass.pageTable]).toEqual([4, 7, 2]);
    expect([...pass.rowInfo]).toEqual([62, 0, 63, 0, 64, 0, 0, 2, 1, 2]);
    expect([...pass.logitRowIndex]).toEqual([0, 1, 2, 4]);
    expect(pass.logitsRows.map((row) => [row.input, row.token, row.returned, row.sample !== null])).toEqual([
      [0, 0, true, false],
      [0, 1, true, false],
      [0, 2, true, false],
      [1, 1, false, true],
    ]);
    expect(pass.dims).toMatchObject({ rows: 5, logitRows: 4, sampled: 1 });
  });

  it('splits into ordered passes at the row and logits-row limits', () => {
    const passes = planPasses(batch, [a, b], { maxRows: 2, maxLogitRows: 1 });
    expect(passes.map((pass) => [...pass.tokens])).toEqual([[10], [11], [12, 20], [21]]);
    expect(passes.map((pass) => pass.dims.logitRows)).toEqual([1, 1, 1, 1]);
  });
});

describe('attentionSplit', () => {
  it('splits long sequences into whole pages when there are few rows', () => {
    expect(attentionSplit(10, 1)).toEqual({ attnChunks: 1, attnChunkLen: 64 });
    expect(attentionSplit(1000, 1)).toEqual({ attnChunks: 16, attnChunkLen: 64 });
    expect(attentionSplit(5000, 1)).toEqual({ attnChunks: 16, attnChunkLen: 320 });
    expect(attentionSplit(5000, 128)).toEqual({ attnChunks: 2, attnChunkLen: 2560 });
  });
});
