import { describe, expect, it } from 'vitest';
import { fileUrl, resolveModelRef } from './model-ref.ts';

describe('resolveModelRef', () => {
  it('turns a Hub repo id into a resolve/main base URL', () => {
    expect(resolveModelRef('HuggingFaceTB/SmolLM2-360M-Instruct')).toEqual({
      id: 'HuggingFaceTB/SmolLM2-360M-Instruct',
      url: 'https://huggingface.co/HuggingFaceTB/SmolLM2-360M-Instruct/resolve/main',
    });
    expect(resolveModelRef('a/b', 'http://127.0.0.1:9/')).toEqual({
      id: 'a/b',
      url: 'http://127.0.0.1:9/a/b/resolve/main',
    });
  });

  it('keeps a base URL as both id and url, without a trailing slash', () => {
    expect(resolveModelRef('https://example.com/models/tiny/')).toEqual({
      id: 'https://example.com/models/tiny',
      url: 'https://example.com/models/tiny',
    });
  });

  it('takes an explicit id for a URL', () => {
    expect(resolveModelRef({ id: 'tiny', url: 'https://example.com/m/' })).toEqual({
      id: 'tiny',
      url: 'https://example.com/m',
    });
  });

  it('rejects what is neither', () => {
    expect(() => resolveModelRef('not a model')).toThrow(/Not a model reference/);
  });
});

describe('fileUrl', () => {
  it('joins and escapes each path segment', () => {
    expect(fileUrl('https://h/a/b/resolve/main', 'onnx/model q.bin')).toBe(
      'https://h/a/b/resolve/main/onnx/model%20q.bin',
    );
  });
});
