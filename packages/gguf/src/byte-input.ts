/**
 * Random access to the bytes of a GGUF file, wherever it is: a Blob (or File), bytes in memory,
 * or one file of a ModelSource (range requests). Reads are bounded: callers ask for ranges.
 */
import { ModelFormatError, type ModelSource } from '@cinder/model-format';

export interface ByteInput {
  /** A name for error messages. */
  readonly name: string;
  /** Bytes `[start, end)`; fewer only when the file ends first. */
  read(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
}

/** A file of a ModelSource, e.g. `{ source, file: 'model.q8_0.gguf' }`. */
export interface SourceFile {
  readonly source: ModelSource;
  readonly file: string;
}

export type GgufInput = Blob | Uint8Array | SourceFile | ByteInput;

export function byteInput(input: GgufInput): ByteInput {
  if (input instanceof Uint8Array) {
    return {
      name: 'GGUF bytes',
      read: async (start, end) => input.subarray(start, Math.min(end, input.length)),
    };
  }
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    return {
      name: typeof File !== 'undefined' && input instanceof File ? input.name : 'GGUF blob',
      read: async (start, end) => new Uint8Array(await input.slice(start, end).arrayBuffer()),
    };
  }
  if ('read' in input) return input;
  return sourceFileInput(input as SourceFile);
}

function sourceFileInput({ source, file }: SourceFile): ByteInput {
  const name = `${file} of model ${source.id}`;
  return {
    name,
    async read(start, end, signal) {
      const response = await source.file(file, { range: [start, end], signal });
      if (!response) throw new ModelFormatError(`Model ${source.id} has no ${file}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (response.status === 206) return bytes;
      // A server that ignores Range sends the whole file: cut the range out of it.
      if (bytes.length >= end) return bytes.subarray(start, end);
      return bytes.subarray(Math.min(start, bytes.length));
    },
  };
}

/** Exactly `[start, end)`, or a ModelFormatError naming the input when it is shorter. */
export async function readExactly(
  input: ByteInput,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const bytes = await input.read(start, end, signal);
  if (bytes.length !== end - start) {
    throw new ModelFormatError(
      `${input.name} is truncated: wanted bytes ${start}-${end}, got ${bytes.length}`,
    );
  }
  return bytes;
}
