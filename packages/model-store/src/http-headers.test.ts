import { describe, expect, it } from 'vitest';
import { etagOf, fileSizeOf, parseContentRange, sha256FromEtag } from './http-headers.ts';

const SHA = 'a'.repeat(64);

describe('parseContentRange', () => {
  it('reads start, inclusive end and size', () => {
    expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, end: 199, size: 1000 });
    expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, end: 9, size: null });
  });
  it('is null for anything else', () => {
    expect(parseContentRange(null)).toBeNull();
    expect(parseContentRange('bytes */1000')).toBeNull();
  });
});

describe('fileSizeOf', () => {
  it('prefers X-Linked-Size, then the Content-Range total, then Content-Length of a 200', () => {
    const headers = { 'x-linked-size': '5000', 'content-length': '12' };
    expect(fileSizeOf(new Response('x', { headers }))).toBe(5000);
    const partial = new Response('x', { status: 206, headers: { 'content-range': 'bytes 10-19/300' } });
    expect(fileSizeOf(partial)).toBe(300);
    expect(fileSizeOf(new Response('x', { headers: { 'content-length': '1' } }))).toBe(1);
    expect(fileSizeOf(new Response('x', { status: 206, headers: { 'content-length': '1' } }))).toBeNull();
  });
});

describe('etagOf and sha256FromEtag', () => {
  it('strips quotes and W/, prefers X-Linked-Etag', () => {
    expect(etagOf(new Response('', { headers: { etag: `W/"abc"` } }))).toBe('abc');
    expect(etagOf(new Response('', { headers: { etag: '"abc"', 'x-linked-etag': `"${SHA}"` } }))).toBe(SHA);
  });
  it('takes only 64 hex digits as a SHA-256', () => {
    expect(sha256FromEtag(SHA.toUpperCase())).toBe(SHA);
    expect(sha256FromEtag('0123456789abcdef0123456789abcdef01234567')).toBeNull();
    expect(sha256FromEtag(null)).toBeNull();
  });
});
