/** Collects every case's verdict and prints the sweep's summary (optionally also as JSON for reports). */
import { writeFileSync } from 'node:fs';
import type { SweepCase } from './case.ts';
import type { Verdict } from './judge.ts';

export interface TallyRow {
  readonly id: string;
  readonly kind: SweepCase['expect']['kind'] | 'probe';
  readonly verdict: Verdict | 'hang' | 'probe-ok';
  readonly summary: string;
  readonly problems: readonly string[];
  readonly known: boolean;
  readonly millis: number;
}

export class Tally {
  readonly rows: TallyRow[] = [];

  record(row: TallyRow): void {
    this.rows.push(row);
  }

  summary(): string {
    const count = (pick: (row: TallyRow) => boolean) => this.rows.filter(pick).length;
    const is = (kind: TallyRow['kind']) => (row: TallyRow) => row.kind === kind;
    const wrong = this.rows.filter((r) => r.verdict === 'wrong' || r.verdict === 'hang');
    const lines = [
      `request sweep: ${count((r) => r.kind !== 'probe')} requests, ${count(is('probe'))} semantic probes`,
      `  valid    ${count(is('ok'))}: ${count((r) => r.verdict === 'success')} succeeded, ${count((r) => r.verdict === 'unsupported')} refused as unsupported_parameter`,
      `  invalid  ${count(is('error'))}: ${count((r) => r.verdict === 'rejected')} rejected as the contract says`,
      `  disputed ${count(is('either'))}: ${count((r) => r.verdict === 'disputed-success')} answered 200, ${count((r) => r.verdict === 'disputed-rejected')} answered 4xx`,
      `  probes   ${count(is('probe'))}: ${count((r) => r.verdict === 'probe-ok')} as documented`,
      `  wrong    ${wrong.length} (${count((r) => r.known)} of them known failures)`,
      `  slowest  ${Math.round(Math.max(0, ...this.rows.map((r) => r.millis)))} ms`,
    ];
    const unsupported = this.rows.filter((r) => r.verdict === 'unsupported');
    if (unsupported.length > 0)
      lines.push('unsupported (accepted for now):', ...unsupported.map((r) => `  ${r.id}: ${r.summary}`));
    if (wrong.length > 0)
      lines.push(
        'wrong:',
        ...wrong.map((r) => `  ${r.known ? '[known] ' : ''}${r.id}: ${r.problems.join(' | ')}`),
      );
    return lines.join('\n');
  }

  /** Writes every row as JSON when SWEEP_REPORT names a file. */
  writeReport(): void {
    const path = process.env.SWEEP_REPORT;
    if (path) writeFileSync(path, JSON.stringify(this.rows, null, 2));
  }
}
