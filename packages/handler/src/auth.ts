/** Optional API keys: when any are configured, every request needs `Authorization: Bearer <key>`. */
import { ApiError } from '@cinder/protocol';

export function checkApiKey(request: Request, keys: readonly string[]): void {
  if (keys.length === 0) return;
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  if (!match) {
    throw new ApiError(
      401,
      'You did not provide an API key. Send it as the header `Authorization: Bearer <key>`.',
      {
        code: 'invalid_api_key',
      },
    );
  }
  const token = match[1].trim();
  if (!keys.some((key) => constantTimeEqual(key, token))) {
    throw new ApiError(401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
  }
}

function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}
