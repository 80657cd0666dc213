import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';

describe('ApiError.from', () => {
  it('keeps ApiErrors, adopts errors of our shape, hides the rest behind a 500', () => {
    const own = new ApiError(400, 'bad', { param: 'x' });
    expect(ApiError.from(own)).toBe(own);

    const store = Object.assign(new Error('Not enough storage: need 20 MB, 5 MB free.'), {
      status: 507,
      code: 'insufficient_storage',
      type: 'insufficient_storage',
    });
    expect(ApiError.from(store).toJSON()).toEqual({
      error: {
        message: store.message,
        type: 'insufficient_storage',
        param: null,
        code: 'insufficient_storage',
      },
    });
    expect(ApiError.from(store).status).toBe(507);

    const crash = ApiError.from(new TypeError('x is undefined'));
    expect(crash.status).toBe(500);
    expect(crash.type).toBe('server_error');
    expect(ApiError.from(new DOMException('stop', 'AbortError')).code).toBe('request_cancelled');
  });
});
