/**
 * What the service worker costs: time to first token and tokens/s of one stream through
 * page fetch -> service worker -> engine worker (SSE parsed in the page), against the same stream
 * called directly on the engine inside the worker. Same browser run, same fixture, runs interleaved.
 * Targets (issue 4): at most 2 ms added to the median TTFT, at least 97% of the direct tokens/s.
 *
 * A third path splits the cost: the same request through the HTTP handler inside the worker, its SSE
 * read there (JSON encoding and parsing, no thread hops). Every run gets its own `cache_salt`, so each
 * one prefills cold: with one prompt per round, later runs would otherwise hit the prefix cache.
 * The machine's load average is part of the setting: on a busy machine every thread hop waits for a core.
 *
 * The floor. Each round also sends the same POST to a route the test app's service worker answers at
 * once from memory (no engine, no port): fetch -> fetch event -> response head -> first bytes. That is
 * what any service worker costs in this browser on this machine, and it bounds what ours can reach.
 *
 * Harness. The page runs all rounds itself (benchRounds in e2e/browser-app/bench-timing.ts). By default
 * it runs in a Chromium started without any DevTools client (sw-bench-native.ts). Under Playwright,
 * the DevTools Network domain is on for the page, so each SSE chunk of the service worker path also
 * becomes a Network.dataReceived event (renderer -> browser -> pipe -> Node) that the in-worker paths
 * never send: on a 2-core machine that CPU is charged to the service worker. `--compare` runs both
 * harnesses back to back to show the difference; Playwright is also the fallback if the plain launch fails.
 *
 * Measured on the shared 2-core VM (22 Nov 2026, plain harness, 41 runs per path, tiny-smollm2, 256
 * tokens, load 0.4-1.1, six invocations): SW adds 2.3-3.1 ms to the median TTFT while the floor's first
 * bytes come 2.2-2.6 ms after the fetch (its fetch event alone 1.1-1.4 ms after it), so a service worker
 * that does nothing already exceeds the 2 ms target here; ours adds 0.0-0.6 ms beyond that floor
 * (its response head is sent during prefill, so only the request's trip and one chunk's are on the
 * critical path). Per-round tokens/s ratio medians 0.972-0.982 (target 0.97), quartiles ~0.94-1.00.
 * Under load (1.5-4.8, other jobs running) the ratio fell to 0.90-0.96 and TTFT rose by 2.6-6.9 ms.
 * A trace of one quiet run (timestamps in page, SW and worker; ms after fetch()): fetch event 1.55,
 * request posted to the worker 1.85, received 2.0, response head sent 3.1 (HTTP handler), first token
 * posted 47.7 -> in the SW 48.05 -> in the page 48.25. Chunk coalescing at 16 ms instead of 8 changed
 * nothing measurable (per-round 0.972-0.980 vs 0.972-0.982).
 *
 * Needs Debian's chromium. This row alone: `npx tsx packages/bench/src/sw-bench.ts [runs] [--compare] [--coalesce=<ms>]`.
 */
import { rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defaultFixturesDir, ensureFixtures } from '@cinder/fixtures';
import type { BenchResults, BenchRoundsOptions, BenchRun } from '../../../e2e/browser-app/bench-timing.ts';
import { hasChromium, launchChromium } from '../../../e2e/support/browser.ts';
import { startHubServer } from '../../../e2e/support/hub-server.ts';
import '../../../e2e/browser/app-global.ts';
import { buildTestApp } from '../../../e2e/browser/test-app.ts';
import { benchInPlainChromium } from './sw-bench-native.ts';
import { formatTable, type Row } from './table.ts';

export type SwBenchHarness = 'plain' | 'playwright';

export interface SwBenchOptions {
  readonly model?: string;
  /** Measured runs per path (after 2 warm-up rounds). Default 41. */
  readonly runs?: number;
  /** Tokens per run. Default 256 (a decode window long enough to time). */
  readonly maxTokens?: number;
  /** Harnesses to run, one after the other. Default `['plain']` (Playwright if that fails). */
  readonly harnesses?: readonly SwBenchHarness[];
  /** serveHttpPort's chunk coalescing in the engine worker (ms); default: its own default. */
  readonly coalesceMs?: number;
}

export async function benchServiceWorker(options: SwBenchOptions = {}): Promise<Row[]> {
  const model = options.model ?? 'tiny-smollm2';
  const rounds: BenchRoundsOptions = { model, runs: options.runs ?? 41, maxTokens: options.maxTokens ?? 256 };
  const row = (setting: string, result: string): Row => ({
    benchmark: 'service worker vs direct',
    model,
    setting,
    result,
  });
  if (!hasChromium()) return [row('skipped', 'no Chromium at CHROMIUM_PATH or /usr/bin/chromium')];

  await ensureFixtures(defaultFixturesDir());
  const dir = await buildTestApp();
  const hub = await startHubServer({ modelsRoot: defaultFixturesDir(), staticDir: dir });
  const rows: Row[] = [];
  const query: Record<string, string> =
    options.coalesceMs === undefined ? {} : { coalesce: String(options.coalesceMs) };
  const coalescing = options.coalesceMs === undefined ? '' : `, coalesce ${options.coalesceMs} ms`;
  try {
    for (const harness of options.harnesses ?? ['plain']) {
      const loadBefore = loadavg()[0];
      let results: BenchResults;
      let used = harness;
      try {
        results =
          harness === 'plain'
            ? await benchInPlainChromium(hub.url, rounds, query)
            : await viaPlaywright(hub.url, rounds, query);
      } catch (cause) {
        if (harness !== 'plain' || options.harnesses?.includes('playwright')) throw cause;
        rows.push(row('plain Chromium failed, Playwright instead', String(cause)));
        used = 'playwright';
        results = await viaPlaywright(hub.url, rounds, query);
      }
      const load = `load ${loadBefore.toFixed(1)}->${loadavg()[0].toFixed(1)}`;
      rows.push(
        ...summarize(
          results,
          `${used}, ${rounds.runs} runs each, ${rounds.maxTokens} tokens, CPU runtime${coalescing}, ${load}`,
        ).map(([s, r]) => row(s, r)),
      );
    }
  } finally {
    await hub.close();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The same rounds in a page driven by Playwright (a DevTools client with the Network domain on). */
async function viaPlaywright(
  appUrl: string,
  rounds: BenchRoundsOptions,
  query: Record<string, string>,
): Promise<BenchResults> {
  const context = await launchChromium();
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}/?${new URLSearchParams(query)}`);
    await page.waitForFunction(() => 'app' in globalThis);
    await page.evaluate(() => app.ready);
    return await page.evaluate((options) => app.benchAll(options), rounds);
  } finally {
    await context.close();
  }
}

/** [setting, result] for the TTFT row and the tokens/s row. */
export function summarize(results: BenchResults, setting: string): [string, string][] {
  const { direct, handler, sw, floor } = results;
  const ttft = (list: BenchRun[]) => median(list.map((r) => r.ttftMs));
  const rate = (list: BenchRun[]) => median(list.map((r) => r.tokensPerSecond));
  // Runs of a round are back to back, so the median of per-round differences is the steadiest
  // estimate of what the service worker adds.
  const added = median(sw.map((r, i) => r.ttftMs - direct[i].ttftMs));
  const head = (list: BenchRun[]) => median(list.map((r) => r.headMs ?? Number.NaN)).toFixed(2);
  const paired = (list: BenchRun[]) =>
    median(list.map((r, i) => r.tokensPerSecond / direct[i].tokensPerSecond)).toFixed(3);
  const rows: [string, string][] = [
    [
      `${setting}: median TTFT`,
      `direct ${ttft(direct).toFixed(2)} ms, handler in worker ${ttft(handler).toFixed(2)} ms, ` +
        `through SW ${ttft(sw).toFixed(2)} ms; SW median added ${added.toFixed(2)} ms; ` +
        `response head after: handler ${head(handler)} ms, SW ${head(sw)} ms`,
    ],
    [
      `${setting}: median tokens/s`,
      `direct ${rate(direct).toFixed(0)}, handler in worker ${rate(handler).toFixed(0)} ` +
        `(ratio ${(rate(handler) / rate(direct)).toFixed(3)}), through SW ${rate(sw).toFixed(0)} ` +
        `(ratio ${(rate(sw) / rate(direct)).toFixed(3)}); per-round ratio medians: handler ${paired(handler)}, SW ${paired(sw)} ` +
        `(SW quartiles ${quartiles(sw.map((r, i) => r.tokensPerSecond / direct[i].tokensPerSecond))})`,
    ],
  ];
  if (floor?.length) {
    const floorFirst = median(floor.map((r) => r.firstBytesMs));
    rows.push([
      `${setting}: service-worker floor`,
      `a service worker answering at once (no engine): fetch event after ${median(floor.map((r) => r.dispatchMs)).toFixed(2)} ms, ` +
        `head ${median(floor.map((r) => r.headMs)).toFixed(2)} ms, first bytes ${floorFirst.toFixed(2)} ms; ` +
        `cinder's SW path adds ${(added - floorFirst).toFixed(2)} ms to TTFT beyond that floor`,
    ]);
  }
  return rows;
}

function quartiles(values: readonly number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
  return `${at(0.25).toFixed(3)}-${at(0.75).toFixed(3)}`;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const runs = args.find((arg) => /^\d+$/.test(arg));
  const harnesses: SwBenchHarness[] = args.includes('--compare') ? ['plain', 'playwright'] : ['plain'];
  const coalesce = args.find((arg) => arg.startsWith('--coalesce='));
  const coalesceMs = coalesce ? Number(coalesce.slice('--coalesce='.length)) : undefined;
  benchServiceWorker({ runs: runs ? Number(runs) : undefined, harnesses, coalesceMs }).then(
    (rows) => console.log(formatTable(rows)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
