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
 * Caveat: Playwright keeps the DevTools Network domain on for the page, so each SSE chunk of the
 * service worker path also becomes a Network.dataReceived event (renderer -> browser -> pipe -> Node);
 * the in-worker paths send none. On a 2-core machine that CPU is charged to the service worker.
 *
 * Runs the e2e test app in Chromium (e2e/browser/test-app.ts); needs Debian's chromium.
 * This row alone: `npx tsx packages/bench/src/sw-bench.ts [runs]`.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { hasChromium } from '../../../e2e/support/browser.ts';
import '../../../e2e/browser/app-global.ts';
import { startTestApp } from '../../../e2e/browser/test-app.ts';
import { formatTable, type Row } from './table.ts';

export interface SwBenchOptions {
  readonly model?: string;
  /** Measured runs per path (after 2 warm-up rounds). Default 31. */
  readonly runs?: number;
  /** Tokens per run. Default 256 (a decode window long enough to time). */
  readonly maxTokens?: number;
}

interface Run {
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
}

const PATHS = ['direct', 'handler', 'sw'] as const;
type Path = (typeof PATHS)[number];

export async function benchServiceWorker(options: SwBenchOptions = {}): Promise<Row[]> {
  const model = options.model ?? 'tiny-smollm2';
  const runs = options.runs ?? 31;
  const maxTokens = options.maxTokens ?? 256;
  const row = (setting: string, result: string): Row => ({
    benchmark: 'service worker vs direct',
    model,
    setting,
    result,
  });
  if (!hasChromium()) return [row('skipped', 'no Chromium at CHROMIUM_PATH or /usr/bin/chromium')];

  const site = await startTestApp();
  try {
    const page = await site.open();
    const body = (i: number, path: Path) => ({
      model,
      messages: [{ role: 'user', content: `Tell me story number ${i}.` }],
      max_tokens: maxTokens,
      ignore_eos: true,
      temperature: 0,
      return_token_ids: true,
      cache_salt: `${path}-${i}`,
    });
    const run = (path: Path, i: number): Promise<Run> => {
      const b = body(i, path);
      if (path === 'direct') return page.evaluate((x) => app.benchDirect(x), b);
      if (path === 'handler') return page.evaluate((x) => app.benchHandler(x), b);
      return page.evaluate((x) => app.benchThroughServiceWorker(x), b);
    };
    const results: Record<Path, Run[]> = { direct: [], handler: [], sw: [] };
    const loadBefore = loadavg()[0];
    for (let i = 0; i < runs + 2; i++) {
      // Rotate the order each round, so drift in the machine's speed hits every path alike.
      for (let k = 0; k < PATHS.length; k++) {
        const path = PATHS[(i + k) % PATHS.length];
        const result = await run(path, i);
        if (i >= 2) results[path].push(result);
      }
    }
    const { direct, handler, sw } = results;
    const ttft = (list: Run[]) => median(list.map((r) => r.ttftMs));
    const rate = (list: Run[]) => median(list.map((r) => r.tokensPerSecond));
    // Runs of a round are back to back, so the median of per-round differences is the steadiest
    // estimate of what the service worker adds.
    const added = median(sw.map((r, i) => r.ttftMs - direct[i].ttftMs));
    const setting = `${runs} runs each, ${maxTokens} tokens, CPU runtime, load ${loadBefore.toFixed(1)}->${loadavg()[0].toFixed(1)}`;
    return [
      row(
        `${setting}: median TTFT`,
        `direct ${ttft(direct).toFixed(2)} ms, handler in worker ${ttft(handler).toFixed(2)} ms, ` +
          `through SW ${ttft(sw).toFixed(2)} ms; SW median added ${added.toFixed(2)} ms`,
      ),
      row(
        `${setting}: median tokens/s`,
        `direct ${rate(direct).toFixed(0)}, handler in worker ${rate(handler).toFixed(0)} ` +
          `(ratio ${(rate(handler) / rate(direct)).toFixed(3)}), through SW ${rate(sw).toFixed(0)} ` +
          `(ratio ${(rate(sw) / rate(direct)).toFixed(3)})`,
      ),
    ];
  } finally {
    await site.close();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = process.argv[2] ? Number(process.argv[2]) : undefined;
  benchServiceWorker({ runs }).then(
    (rows) => console.log(formatTable(rows)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
