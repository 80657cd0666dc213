import { ModelFormatError } from './errors.ts';
import type { ModelSource } from './model-source.ts';

/**
 * Bytes `[start, end)` of one model file, via a range request. A server that ignores `Range`
 * answers 200 with the whole file; we then cut the range out of it. Resolves to null when the
 * file does not exist; throws when it is shorter than the range.
 */
export async function readRange(
  source: ModelSource,
  file: string,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Uint8Array | null> {
  const response = await source.file(file, { range: [start, end], signal });
  if (!response) return null;
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length === end - start) return bytes;
  if (response.status === 200 && bytes.length >= end) return bytes.subarray(start, end);
  throw new ModelFormatError(
    `${file} of model ${source.id} is truncated: wanted bytes ${start}-${end}, got ${bytes.length} bytes`,
  );
}
