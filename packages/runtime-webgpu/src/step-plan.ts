/**
 * Turns a batched step into passes: every token of every sequence becomes a row (its sequence's
 * position), rows that need logits (returned, or sampled on the device) are listed, and the page
 * lists of the pass's sequences are packed into one page table. A step normally is one pass;
 * more than MAX_PASS_ROWS tokens (or logits rows) split it, in order, so later passes see the
 * KV entries of earlier ones. Pure CPU code.
 */
import type { DeviceSampling, StepInput } from '@cinder/engine';
import { PAGE_SIZE } from './kernels/model-dims.ts';
import type { PassDims } from './kernels/pass.ts';
import type { GpuSequence } from './kv-pool.ts';
import { ATTENTION_CHUNK_ROWS, MAX_ATTENTION_CHUNKS } from './state.ts';

export interface LogitsRow {
  /** Which step input and which of its tokens. */
  readonly input: number;
  readonly token: number;
  /** Return the row (logits 'last' / 'all'). */
  readonly returned: boolean;
  /** Draw from it on the device. */
  readonly sample: DeviceSampling | null;
}

export interface PassPlan {
  readonly dims: PassDims;
  readonly tokens: Uint32Array;
  /** (rows, 2): position, offset of the sequence's page list in `pageTable`. */
  readonly rowInfo: Uint32Array;
  readonly positions: readonly number[];
  readonly pageTable: Uint32Array;
  /** Logits rows in order, with the pass row each one comes from. */
  readonly logitsRows: readonly LogitsRow[];
  readonly logitRowIndex: Uint32Array;
}

export interface PlanLimits {
  readonly maxRows: number;
  readonly maxLogitRows: number;
}

export function planPasses(
  batch: readonly StepInput[],
  sequences: readonly GpuSequence[],
  limits: PlanLimits,
): PassPlan[] {
  const passes: PassPlan[] = [];
  let rows: { input: number; token: number; pos: number }[] = [];
  let logits: { row: number; logits: LogitsRow }[] = [];
  const flush = () => {
    if (rows.length > 0) passes.push(buildPass(rows, logits, sequences));
    rows = [];
    logits = [];
  };
  batch.forEach((input, i) => {
    const count = input.tokens.length;
    for (let j = 0; j < count; j++) {
      const last = j === count - 1;
      const returned = input.logits === 'all' || (input.logits === 'last' && last);
      const sample = last && input.sample ? input.sample : null;
      const wantsLogits = returned || sample !== null;
      if (rows.length === limits.maxRows || (wantsLogits && logits.length === limits.maxLogitRows)) flush();
      if (wantsLogits) logits.push({ row: rows.length, logits: { input: i, token: j, returned, sample } });
      rows.push({ input: i, token: input.tokens[j], pos: sequences[i].length + j });
    }
  });
  flush();
  return passes;
}

function buildPass(
  rows: readonly { input: number; token: number; pos: number }[],
  logits: readonly { row: number; logits: LogitsRow }[],
  sequences: readonly GpuSequence[],
): PassPlan {
  // Each sequence's page list once, covering its last row in this pass.
  const tableOffset = new Map<number, number>();
  const pages: number[] = [];
  for (const row of rows) {
    if (tableOffset.has(row.input)) continue;
    const maxPos = Math.max(...rows.filter((r) => r.input === row.input).map((r) => r.pos));
    tableOffset.set(row.input, pages.length);
    pages.push(...sequences[row.input].pages.slice(0, Math.floor(maxPos / PAGE_SIZE) + 1));
  }
  const rowInfo = new Uint32Array(rows.length * 2);
  rows.forEach((row, r) => {
    rowInfo[2 * r] = row.pos;
    rowInfo[2 * r + 1] = tableOffset.get(row.input)!;
  });
  const maxLength = Math.max(...rows.map((row) => row.pos + 1));
  return {
    dims: {
      rows: rows.length,
      logitRows: logits.length,
      sampled: logits.filter((l) => l.logits.sample !== null).length,
      ...attentionSplit(maxLength, rows.length),
    },
    tokens: new Uint32Array(rows.map((row) => row.token)),
    rowInfo,
    positions: rows.map((row) => row.pos),
    pageTable: new Uint32Array(pages),
    logitsRows: logits.map((l) => l.logits),
    logitRowIndex: new Uint32Array(logits.map((l) => l.row)),
  };
}

/** Splits of the longest cached sequence: more when few rows leave the GPU idle, in whole pages. */
export function attentionSplit(
  maxLength: number,
  rows: number,
): { attnChunks: number; attnChunkLen: number } {
  const tiles = Math.ceil(maxLength / PAGE_SIZE);
  const chunks = Math.max(1, Math.min(tiles, MAX_ATTENTION_CHUNKS, Math.floor(ATTENTION_CHUNK_ROWS / rows)));
  const attnChunkLen = Math.ceil(tiles / chunks) * PAGE_SIZE;
  return { attnChunks: Math.ceil(maxLength / attnChunkLen), attnChunkLen };
}
