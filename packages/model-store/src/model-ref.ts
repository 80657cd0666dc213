import type { ModelRef } from './types.ts';

/** A model reference made concrete: the id it is stored under and the base URL of its files. */
export interface ResolvedModelRef {
  id: string;
  /** Base URL without a trailing slash; file `f` is `${url}/${f}`. */
  url: string;
}

export const DEFAULT_HUB = 'https://huggingface.co';

const REPO_ID = /^[\w.-]+\/[\w.-]+$/;

/**
 * `owner/repo` → `${hubBase}/owner/repo/resolve/main`, stored as `owner/repo`. An absolute URL, or a
 * path against the current location (it needs a leading `./` or `/`, else it reads as a repo id), is
 * a base URL stored under itself. `{ id, url }` names both.
 */
export function resolveModelRef(ref: ModelRef, hubBase: string = DEFAULT_HUB): ResolvedModelRef {
  if (typeof ref !== 'string') return { id: ref.id, url: absoluteBase(ref.url) };
  if (REPO_ID.test(ref) && !ref.startsWith('.')) {
    return { id: ref, url: `${trimSlash(hubBase)}/${ref}/resolve/main` };
  }
  const url = absoluteBase(ref);
  return { id: url, url };
}

/** The canonical URL of one file: the key it is cached under. */
export function fileUrl(baseUrl: string, name: string): string {
  return `${baseUrl}/${name.split('/').map(encodeURIComponent).join('/')}`;
}

function absoluteBase(url: string): string {
  const here = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return trimSlash(new URL(url, here).href);
  } catch {
    throw new TypeError(`Not a model reference: "${url}" (expected "owner/repo" or a URL)`);
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
