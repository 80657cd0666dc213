/**
 * Reads a request body as JSON with the checks an HTTP API owes its clients:
 * 415 for a non-JSON content type, 413 past the size limit (without reading further), 400 for bad JSON.
 */
import { ApiError } from '@cinder/protocol';

export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json' && !mediaType.endsWith('+json')) {
    throw new ApiError(
      415,
      `Unsupported Content-Type '${mediaType || '(none)'}': send the body as application/json.`,
      {
        code: 'unsupported_media_type',
      },
    );
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);

  const text = await readTextWithLimit(request, maxBytes);
  if (text.trim() === '')
    throw new ApiError(400, 'The request body is empty: send a JSON object.', { code: 'invalid_json' });
  try {
    return JSON.parse(text);
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new ApiError(400, `The request body is not valid JSON: ${detail}`, { code: 'invalid_json' });
  }
}

async function readTextWithLimit(request: Request, maxBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let received = 0;
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      text += decoder.decode(value, { stream: true });
    }
    return text + decoder.decode();
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    if (cause instanceof TypeError) {
      throw new ApiError(400, 'The request body is not valid UTF-8.', { code: 'invalid_json' });
    }
    throw cause;
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, `The request body is larger than the limit of ${maxBytes} bytes.`, {
    code: 'request_too_large',
  });
}
