import { afterEach, describe, expect, it, vi } from 'vitest';
import { withHubToken } from './hub-token.ts';

// The network stands in: fetch records what it was asked and answers 200.
const seen: Array<{ url: string; authorization: string | null }> = [];
vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
  const url = input instanceof Request ? input.url : String(input);
  seen.push({ url, authorization: new Headers(init?.headers).get('authorization') });
  return new Response('ok');
});
afterEach(() => {
  seen.length = 0;
});

describe('withHubToken', () => {
  it('sends the token to huggingface.co only, read when the request is made', async () => {
    let token = 'hf_first';
    const hubFetch = withHubToken(async () => token);
    await hubFetch('https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/resolve/main/config.json');
    token = ' hf_second ';
    await hubFetch(new URL('https://huggingface.co/x/y/resolve/main/model.safetensors'), {
      headers: { range: 'bytes=0-0' },
    });
    await hubFetch('https://cdn-lfs.example.com/file');
    await hubFetch('http://localhost/local-models.json');
    expect(seen).toEqual([
      {
        url: 'https://huggingface.co/meta-llama/Llama-3.2-1B-Instruct/resolve/main/config.json',
        authorization: 'Bearer hf_first',
      },
      { url: 'https://huggingface.co/x/y/resolve/main/model.safetensors', authorization: 'Bearer hf_second' },
      { url: 'https://cdn-lfs.example.com/file', authorization: null },
      { url: 'http://localhost/local-models.json', authorization: null },
    ]);
  });

  it('sends nothing when there is no token', async () => {
    await withHubToken(() => '  ')('https://huggingface.co/a/b/resolve/main/config.json');
    expect(seen[0].authorization).toBeNull();
  });
});
