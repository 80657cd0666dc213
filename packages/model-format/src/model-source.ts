/**
 * Where a model's files come from. In the browser that is a base URL (the Hub, or our own
 * origin); in Node it is a directory on disk (see @cinder/host-node). Both answer with a web
 * `Response`, so the loaders above them are host-agnostic and can stream large files.
 */
export interface ModelSource {
  /** The id the model is served under, e.g. its directory name. */
  readonly id: string;
  /**
   * One file of the model, e.g. `config.json` or `model-00001-of-00002.safetensors`.
   * Resolves to null when the file does not exist. `range` is an inclusive-exclusive byte range.
   */
  file(
    name: string,
    options?: { range?: [start: number, end: number]; signal?: AbortSignal },
  ): Promise<Response | null>;
}

/** A model served over HTTP(S): `${baseUrl}/${name}` (Hugging Face `resolve/main/` URLs included). */
export function urlModelSource(id: string, baseUrl: string, fetchFn: typeof fetch = fetch): ModelSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    id,
    async file(name, options = {}) {
      const headers = new Headers();
      if (options.range) headers.set('Range', `bytes=${options.range[0]}-${options.range[1] - 1}`);
      const response = await fetchFn(new URL(name, base), { headers, signal: options.signal });
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`Fetching ${name} for model ${id} failed: HTTP ${response.status}`);
      return response;
    },
  };
}

export async function readJson<T>(source: ModelSource, name: string): Promise<T | null> {
  const response = await source.file(name);
  return response ? ((await response.json()) as T) : null;
}

export async function readBytes(
  source: ModelSource,
  name: string,
  range?: [number, number],
): Promise<Uint8Array | null> {
  const response = await source.file(name, { range });
  return response ? new Uint8Array(await response.arrayBuffer()) : null;
}
