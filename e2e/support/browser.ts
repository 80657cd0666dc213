/**
 * Launches Debian's Chromium through playwright-core (never `playwright install`), headless, with
 * WebGPU on SwiftShader and no background networking (this machine's network is closed).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export interface LaunchOptions {
  /** Default true: `--enable-unsafe-webgpu`. False: the page has no WebGPU adapter. */
  readonly webgpu?: boolean;
}

/** Chromium's flags for the tests and benches (headless mode and the profile are the caller's). */
export function chromiumArgs(options: LaunchOptions = {}): string[] {
  return [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    ...(options.webgpu === false
      ? ['--disable-webgpu']
      : ['--enable-unsafe-webgpu', '--enable-features=Vulkan']),
  ];
}

/**
 * A persistent context (service workers need one that lives across pages). Close it when done: its
 * profile directory is deleted then.
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<BrowserContext> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'cinder-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: chromiumArgs(options),
  });
  const close = context.close.bind(context);
  context.close = async (closeOptions) => {
    await close(closeOptions);
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };
  return context;
}
