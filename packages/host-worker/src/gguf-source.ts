/**
 * Models as wllama needs them: one GGUF file. Two ways to get there:
 *
 *   ggufOnlySource(source, file)   a GGUF model (no safetensors): the file, with config.json,
 *                                  tokenizer.json, ... synthesized from its metadata by @cinder/gguf
 *   convertedGgufSource(source)    a safetensors model, with `model-q8_0.gguf` written on the fly by
 *                                  @cinder/gguf's streaming writer the first time it is read
 *
 * Both remember which file is the GGUF (`ggufFileOf`), which is how autoRuntime knows a model must
 * go to wllama. Why on the fly and why q8_0: docs/wllama.md.
 *
 * A conversion is kept for the next page load when the source comes with a place to keep it
 * (`keepDerivedFiles(source, store.derived(id))`, as storeCatalog does): the GGUF then sits in the
 * model store beside the model, and later loads read it instead of converting again.
 */
import type { ModelSource } from '@cinder/model-format';
import type { DerivedFiles } from '@cinder/model-store';
import { type GgufFileType, ggufModelSource, writeGguf } from './gguf-deps.ts';

const GGUF_FILES = new WeakMap<ModelSource, string>();
const KEPT_FILES = new WeakMap<ModelSource, DerivedFiles>();

/**
 * The version of what convertedGgufSource writes. Kept GGUFs of another version are converted
 * again: bump it whenever @cinder/gguf's writer changes its output.
 */
export const GGUF_CONVERSION_VERSION = 'cinder-gguf-1';

/** Marks `source` as having a place for files made from it (a model store's `derived(id)`); returns it. */
export function keepDerivedFiles(source: ModelSource, files: DerivedFiles): ModelSource {
  KEPT_FILES.set(source, files);
  return source;
}

/** The GGUF file of a source made here, or null (a plain Hugging Face model). */
export function ggufFileOf(source: ModelSource): string | null {
  return GGUF_FILES.get(source) ?? null;
}

/** A GGUF model: `file` inside `source`, presented in Hugging Face layout. */
export function ggufOnlySource(source: ModelSource, file: string): ModelSource {
  const presented = ggufModelSource(source, file);
  GGUF_FILES.set(presented, file);
  return presented;
}

/** Name of the GGUF a safetensors model is converted to. */
export function convertedGgufName(fileType: GgufFileType): string {
  return `model-${fileType}.gguf`;
}

/**
 * A safetensors model plus its GGUF conversion (`model-q8_0.gguf` by default). The conversion runs
 * once, when the file is first read, and is kept as a Blob (a browser may keep a large one on disk):
 * memory is bounded by the size of the GGUF, never the f32 weights. A failed conversion is retried
 * on the next read.
 */
export function convertedGgufSource(
  source: ModelSource,
  options: {
    readonly fileType?: GgufFileType;
    /** Where the GGUF is kept between page loads. Default: what `keepDerivedFiles` gave `source`. */
    readonly keep?: DerivedFiles;
  } = {},
): ModelSource {
  const fileType = options.fileType ?? 'q8_0';
  const name = convertedGgufName(fileType);
  const keep = options.keep ?? KEPT_FILES.get(source);
  let converted: Promise<Blob> | null = null;
  const keptOrConverted = async (signal?: AbortSignal) => {
    const kept = await keep?.get(name, GGUF_CONVERSION_VERSION).catch(() => null);
    if (kept) return kept;
    const blob = await collect(writeGguf(source, { type: fileType, signal }));
    // Kept in the background: wllama need not wait for the write. A full disk only costs the next
    // load a conversion.
    keep?.put(name, GGUF_CONVERSION_VERSION, blob).catch((cause: unknown) => {
      console.warn(
        `The GGUF converted from ${source.id} could not be kept; the next load converts again`,
        cause,
      );
    });
    return blob;
  };
  const convert = (signal?: AbortSignal) => {
    if (!converted) {
      converted = keptOrConverted(signal);
      converted.catch(() => {
        converted = null;
      });
    }
    return converted;
  };
  const wrapped: ModelSource = {
    id: source.id,
    async file(file, fileOptions = {}) {
      if (file !== name) return source.file(file, fileOptions);
      fileOptions.signal?.throwIfAborted();
      return blobResponse(await convert(fileOptions.signal), fileOptions.range);
    },
  };
  GGUF_FILES.set(wrapped, name);
  return wrapped;
}

/** The writer's parts as one Blob: each tensor is dropped from the JS heap once it is in the Blob. */
async function collect(parts: AsyncIterable<Uint8Array>): Promise<Blob> {
  const blobs: Blob[] = [];
  for await (const part of parts) blobs.push(new Blob([part as Uint8Array<ArrayBuffer>]));
  return new Blob(blobs, { type: 'application/octet-stream' });
}

/** The blob, or a 206 with bytes `[start, end)` of it, as an HTTP server would answer. */
export function blobResponse(blob: Blob, range?: readonly [number, number]): Response {
  const type = { 'content-type': 'application/octet-stream' };
  if (!range) return new Response(blob, { headers: { ...type, 'content-length': String(blob.size) } });
  const [start, end] = range;
  const last = Math.min(end, blob.size);
  return new Response(blob.slice(start, last), {
    status: 206,
    headers: { ...type, 'content-range': `bytes ${start}-${last - 1}/${blob.size}` },
  });
}
