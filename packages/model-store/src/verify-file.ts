import { formatBytes, ModelStoreError } from './model-store-error.ts';

/** What a downloaded file must match: the size the server stated, and its SHA-256 when known. */
export interface Expected {
  name: string;
  size: number;
  sha256: string | null;
}

/**
 * Checks an assembled file. The size always; the SHA-256 only up to `hashMaxBytes`, because
 * `crypto.subtle.digest` is not incremental and needs the whole file in memory at once.
 * Returns whether the hash was checked; throws an `integrity_error` on a mismatch.
 */
export async function verifyFile(
  id: string,
  file: Expected,
  blob: Blob,
  hashMaxBytes: number,
): Promise<boolean> {
  if (blob.size !== file.size) {
    throw new ModelStoreError(
      'integrity_error',
      `Model ${id}: ${file.name} is ${blob.size} bytes, but the server stated ${file.size}`,
    );
  }
  if (!file.sha256 || file.size > hashMaxBytes) return false;
  const actual = await sha256Hex(blob);
  if (actual !== file.sha256) {
    throw new ModelStoreError(
      'integrity_error',
      `Model ${id}: ${file.name} (${formatBytes(file.size)}) has SHA-256 ${actual}, expected ${file.sha256}`,
    );
  }
  return true;
}

export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
