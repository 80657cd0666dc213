import type { ModelSource } from './model-source.ts';

/**
 * A model held in memory: file name -> bytes (strings are UTF-8 encoded). Range requests get a
 * 206 with just those bytes, clamped to the file like an HTTP server does. For tests and for
 * models built on the fly.
 */
export function memoryModelSource(
  id: string,
  files: ReadonlyMap<string, Uint8Array | string> | Readonly<Record<string, Uint8Array | string>>,
): ModelSource {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  const bytes = new Map(
    entries.map(([name, content]) => [
      name,
      typeof content === 'string' ? new TextEncoder().encode(content) : content,
    ]),
  );
  return {
    id,
    async file(name, options = {}) {
      options.signal?.throwIfAborted();
      const content = bytes.get(name);
      if (!content) return null;
      if (!options.range) return new Response(content.slice());
      const [start, end] = options.range;
      const last = Math.min(end, content.length);
      return new Response(content.slice(start, last), {
        status: 206,
        headers: { 'Content-Range': `bytes ${start}-${last - 1}/${content.length}` },
      });
    },
  };
}
