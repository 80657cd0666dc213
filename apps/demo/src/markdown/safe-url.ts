/**
 * Which link targets model output may carry: absolute http(s) and mailto URLs only. The check runs
 * the browser's own URL parser, so tricks such as `java\tscript:`, `JAVASCRIPT:` or leading control
 * characters resolve to the scheme the browser would really use, and are refused. Relative URLs are
 * refused too (they would point into this app).
 */
const ALLOWED = new Set(['http:', 'https:', 'mailto:']);

/** The normalized URL when a link to it is allowed, otherwise null. */
export function safeHref(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  return ALLOWED.has(url.protocol) ? url.href : null;
}
