/**
 * The service-worker benchmark without any DevTools client: Debian's Chromium started directly (no
 * Playwright, no --remote-debugging-*), pointed at the test app with `?bench=...&report=...`. The page
 * runs the rounds itself (e2e/browser-app/page.ts) and POSTs its results to a one-shot server here;
 * then Chromium is stopped and its profile deleted.
 *
 * Why: Playwright keeps the DevTools Network domain on, so every SSE chunk through the service worker
 * becomes a DevTools event, a cost the in-worker paths never pay.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResults, BenchRoundsOptions } from '../../../e2e/browser-app/bench-timing.ts';
import { CHROMIUM, chromiumArgs } from '../../../e2e/support/browser.ts';

/** Flags as e2e/support/browser.ts launches Chromium (no DevTools pipe here: no Playwright). */
const FLAGS = ['--headless=new', ...chromiumArgs()];

/**
 * Opens `${appUrl}/?bench=...` (plus `extraQuery`) in a fresh headless Chromium and waits for the
 * page's report.
 */
export async function benchInPlainChromium(
  appUrl: string,
  options: BenchRoundsOptions,
  extraQuery: Record<string, string> = {},
  timeoutMs = 20 * 60_000,
): Promise<BenchResults> {
  let onReport: (body: string) => void = () => {};
  const reported = new Promise<string>((resolve) => {
    onReport = resolve;
  });
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => {
      body += part;
    });
    req.on('end', () => {
      res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
      if (req.method === 'POST') onReport(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const reportUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/report`;
  const profile = await mkdtemp(join(tmpdir(), 'cinder-chromium-'));
  let chromium: ChildProcess | null = null;
  try {
    const url = `${appUrl}/?${new URLSearchParams({ ...extraQuery, bench: JSON.stringify(options), report: reportUrl })}`;
    // Its own process group, so the browser's helpers stop with it.
    chromium = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, url], {
      detached: true,
      stdio: 'ignore',
    });
    const exited = new Promise<never>((_, reject) =>
      chromium?.once('exit', (code) => reject(new Error(`Chromium exited early (code ${code})`))),
    );
    exited.catch(() => {}); // it does exit, when stopped below
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no benchmark report within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const report = JSON.parse(await Promise.race([reported, exited, timeout])) as {
        results?: BenchResults;
        error?: string;
      };
      if (!report.results) throw new Error(`the benchmark page failed: ${report.error}`);
      return report.results;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    if (chromium) await stop(chromium);
    server.close();
    server.closeAllConnections();
    await rm(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

/** SIGTERM to the browser's process group, SIGKILL if it is still there after 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await gone;
  clearTimeout(timer);
}
