/**
 * Drives the demo chat app in a Playwright page the way a user does: type and send, wait for the
 * streamed reply to finish, change settings through the settings dialog.
 */
import type { Locator, Page } from 'playwright-core';

export interface SettingsValues {
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly extra?: string;
}

export const lastReply = (page: Page): Locator => page.locator('.message.assistant').last();

export const waitForText = (page: Page, selector: string, text: string, timeout?: number) =>
  page.waitForFunction(([s, t]) => document.querySelector(s)?.textContent === t, [selector, text] as const, {
    timeout,
  });

const lastReplyId = (page: Page) =>
  page.evaluate(
    () => [...document.querySelectorAll('.message.assistant')].at(-1)?.getAttribute('data-id') ?? null,
  );

/** Runs `action`, then waits until it produced a new last reply and that reply is finished. */
export async function replyTo(page: Page, action: () => Promise<void>): Promise<void> {
  const before = await lastReplyId(page);
  await action();
  await page.waitForFunction((previous) => {
    const last = [...document.querySelectorAll('.message.assistant')].at(-1);
    return last && last.getAttribute('data-id') !== previous && !last.classList.contains('streaming');
  }, before);
  await page.waitForFunction(() => document.getElementById('app')?.dataset.streaming === 'false');
}

export async function type(page: Page, text: string): Promise<void> {
  await page.fill('#prompt', text);
  await page.press('#prompt', 'Enter');
}

/** Sends `text` from the composer and waits for the whole reply. */
export const send = (page: Page, text: string) => replyTo(page, () => type(page, text));

/** Fills the given fields of the settings dialog and saves. */
export async function setSettings(page: Page, values: SettingsValues): Promise<void> {
  await page.click('#settings-button');
  if (values.maxTokens !== undefined) await page.fill('#setting-max-tokens', String(values.maxTokens));
  if (values.temperature !== undefined) await page.fill('#setting-temperature', String(values.temperature));
  if (values.extra !== undefined) await page.fill('#setting-extra', values.extra);
  await page.click('#settings-form button[type=submit]');
  await page.waitForFunction(() => !document.querySelector('#settings-dialog')?.hasAttribute('open'));
}

/**
 * From now on, records every length the last reply's text had while it streamed; `streamedLengths`
 * returns them (more than a few distinct lengths: it arrived piece by piece).
 */
export async function recordStreamedLengths(page: Page): Promise<void> {
  await page.evaluate(() => {
    const lengths = new Set<number>();
    (window as unknown as { lengths: Set<number> }).lengths = lengths;
    new MutationObserver(() => {
      const content = [...document.querySelectorAll('.message.assistant .content')].at(-1);
      if (content) lengths.add(content.textContent?.length ?? 0);
    }).observe(document.getElementById('messages')!, { subtree: true, childList: true, characterData: true });
  });
}

/** The lengths recorded since the last call (and clears them). */
export function streamedLengths(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const lengths = (window as unknown as { lengths: Set<number> }).lengths;
    const seen = [...lengths].filter((length) => length > 0);
    lengths.clear();
    return seen;
  });
}

export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}
