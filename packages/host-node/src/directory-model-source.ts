/** A model directory on disk as a ModelSource (Hugging Face layout: config.json, *.safetensors, tokenizer files). */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ModelSource } from '@cinder/model-format';

export function directoryModelSource(dir: string, id = basename(resolve(dir))): ModelSource {
  const root = resolve(dir);
  return {
    id,
    async file(name, options = {}) {
      const path = resolve(root, name);
      if (!path.startsWith(root + sep)) throw new Error(`File name ${name} escapes the model directory.`);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return null;
      const [start, end] = options.range ?? [0, info.size];
      const last = Math.min(end, info.size) - 1;
      const length = Math.max(0, last - start + 1);
      const body =
        length === 0
          ? null
          : (Readable.toWeb(
              createReadStream(path, { start, end: last, signal: options.signal }),
            ) as ReadableStream<Uint8Array>);
      return new Response(body, {
        status: options.range ? 206 : 200,
        headers: { 'content-length': String(length) },
      });
    },
  };
}
