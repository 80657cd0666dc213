/**
 * What the service worker costs: time to first token and tokens/s of one stream through
 * page fetch -> service worker -> engine worker (SSE parsed in the page), against the same stream
 * called directly on the engine inside the worker. Same browser run, same fixture, runs alternated.
 * Targets (issue 4): at most 2 ms added to the median TTFT, at least 97% of the direct tokens/s.
 *
 * Runs the e2e test app in Chromium (e2e/browser/test-app.ts); needs Debian's chromium.
 */
import { hasChromium } from '../../../e2e/support/browser.ts';
import '../../../e2e/browser/app-global.ts';
import { startTestApp } from '../../../e2e/browser/test-app.ts';
import type { Row } from './table.ts';

export interface SwBenchOptions {
  readonly model?: string;
  /** Measured runs per path (after 2 warm-up runs each). Default 21. */
  readonly runs?: number;
  /** Tokens per run. Default 256 (a decode window long enough to time). */
  readonly maxTokens?: number;
}

interface Run {
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
}

export async function benchServiceWorker(options: SwBenchOptions = {}): Promise<Row[]> {
  const model = options.model ?? 'tiny-smollm2';
  const runs = options.runs ?? 21;
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
    const body = (i: number) => ({
      model,
      messages: [{ role: 'user', content: `Tell me story number ${i}.` }],
      max_tokens: maxTokens,
      ignore_eos: true,
      temperature: 0,
      return_token_ids: true,
    });
    const direct: Run[] = [];
    const sw: Run[] = [];
    for (let i = 0; i < runs + 2; i++) {
      // Alternate which path goes first, so drift in the machine's speed hits both alike.
      const order = i % 2 === 0 ? (['direct', 'sw'] as const) : (['sw', 'direct'] as const);
      for (const path of order) {
        const run =
          path === 'direct'
            ? await page.evaluate((b) => app.benchDirect(b), body(i))
            : await page.evaluate((b) => app.benchThroughServiceWorker(b), body(i));
        if (i >= 2) (path === 'direct' ? direct : sw).push(run);
      }
    }
    const ttftDirect = median(direct.map((run) => run.ttftMs));
    const ttftSw = median(sw.map((run) => run.ttftMs));
    // Runs are paired (same prompt, back to back), so the median of the per-pair differences is the
    // steadiest estimate of what the service worker adds.
    const added = median(sw.map((run, i) => run.ttftMs - direct[i].ttftMs));
    const rateDirect = median(direct.map((run) => run.tokensPerSecond));
    const rateSw = median(sw.map((run) => run.tokensPerSecond));
    const setting = `${runs} runs each, ${maxTokens} tokens, CPU runtime`;
    return [
      row(
        `${setting}: median TTFT`,
        `direct ${ttftDirect.toFixed(2)} ms, through SW ${ttftSw.toFixed(2)} ms, median added ${added.toFixed(2)} ms`,
      ),
      row(
        `${setting}: median tokens/s`,
        `direct ${rateDirect.toFixed(0)}, through SW ${rateSw.toFixed(0)}, ratio ${(rateSw / rateDirect).toFixed(3)}`,
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
