import { formatBytes, ModelStoreError } from './model-store-error.ts';

/** The origin's storage as `navigator.storage.estimate()` reports it; zeros where unsupported. */
export async function estimateStorage(): Promise<{ usage: number; quota: number }> {
  const estimate = await globalThis.navigator?.storage?.estimate?.();
  return { usage: estimate?.usage ?? 0, quota: estimate?.quota ?? 0 };
}

/**
 * Asks the browser to keep the origin's storage under pressure (a model is expensive to fetch
 * again). Browsers may say no or decide silently; never throws.
 */
export async function requestPersistence(): Promise<boolean> {
  const storage = globalThis.navigator?.storage;
  try {
    if (!storage?.persist) return false;
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return false;
  }
}

export async function isPersisted(): Promise<boolean> {
  return (await globalThis.navigator?.storage?.persisted?.().catch(() => false)) ?? false;
}

/** Throws `insufficient_storage` when the quota left cannot take `neededBytes` more. */
export async function ensureSpace(id: string, neededBytes: number): Promise<void> {
  const { usage, quota } = await estimateStorage();
  if (quota === 0) return; // the browser does not say; writes will tell
  if (quota - usage < neededBytes) throw insufficientStorage(id, neededBytes, { usage, quota });
}

/**
 * The error for a model that does not fit, saying how much it needs against what is available.
 * `cause` is the QuotaExceededError of a write, when the browser refused one although its estimate
 * showed room (estimates are rounded, and may not show every limit).
 */
export function insufficientStorage(
  id: string,
  neededBytes: number,
  storage: { usage: number; quota: number },
  cause?: unknown,
): ModelStoreError {
  const available = Math.max(0, storage.quota - storage.usage);
  const reported = `${formatBytes(storage.usage)} used of a ${formatBytes(storage.quota)} quota`;
  const what =
    available < neededBytes
      ? `it needs ${formatBytes(neededBytes)} more, but only ${formatBytes(available)} is available (${reported})`
      : `the browser refused to store more (QuotaExceededError) with ${formatBytes(neededBytes)} still to write, although it reports ${formatBytes(available)} available (${reported})`;
  return new ModelStoreError(
    'insufficient_storage',
    `Not enough storage for model ${id}: ${what}. Delete other models or free up disk space, then download again to resume.`,
    { cause },
  );
}
