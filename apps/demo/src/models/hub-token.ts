/**
 * The Hugging Face access token (Settings), added to requests to huggingface.co and to nothing else.
 * Both the page's model store and the engine worker's download through it: the worker downloads a
 * model itself when a request names one that is not stored yet (gated repos such as Llama 3.2 need
 * the token there too). The worker reads the token from the saved settings on each Hub request.
 */
export const HUB_HOST = 'huggingface.co';

/** A fetch that sends `Authorization: Bearer <token>` to huggingface.co when there is a token. */
export function withHubToken(token: () => string | Promise<string>): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== HUB_HOST) return fetch(input, init);
    const value = (await token()).trim();
    if (!value) return fetch(input, init);
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    headers.set('authorization', `Bearer ${value}`);
    return fetch(input, { ...init, headers });
  };
}
