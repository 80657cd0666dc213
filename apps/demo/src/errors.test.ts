import { describe, expect, it } from 'vitest';
import { AppError, describeError } from './errors.ts';

const apiError = (status: number, message: string, code: string | null = null) =>
  Object.assign(new Error(`${status} ${message}`), { status, code });

describe('describeError', () => {
  it('turns engine HTTP errors into messages with a way forward', () => {
    expect(describeError(apiError(400, "This model's maximum context length is 2048 tokens."))).toMatchObject(
      {
        title: 'Too long for this model',
        action: 'settings',
      },
    );
    expect(describeError(apiError(400, 'temperature must be at most 2', null))).toMatchObject({
      title: 'The request was refused',
      message: expect.stringMatching(/^temperature must be at most 2\. Check the settings/),
      action: 'settings',
    });
    expect(describeError(apiError(404, "The model 'x' does not exist", 'model_not_found'))).toMatchObject({
      action: 'models',
    });
    expect(describeError(apiError(503, 'No cinder engine is available', 'engine_unavailable'))).toMatchObject(
      {
        action: 'reload',
      },
    );
  });

  it('storage, download and memory failures', () => {
    const quota = Object.assign(new Error('Needs 1.5 GB, 200 MB available.'), {
      name: 'ModelStoreError',
      code: 'insufficient_storage',
    });
    expect(describeError(quota)).toMatchObject({ title: 'Not enough storage', action: 'models' });
    const failed = Object.assign(new Error('connection reset'), {
      name: 'ModelStoreError',
      code: 'download_failed',
    });
    expect(describeError(failed).message).toContain('what arrived so far is kept');
    expect(describeError(new RangeError('Array buffer allocation failed')).title).toBe(
      'This model is too large for this device',
    );
    expect(describeError(apiError(500, 'Array buffer allocation failed')).action).toBe('models');
  });

  it('keeps errors the app already described', () => {
    const info = { title: 'No model chosen', message: 'Choose one.', action: 'models' as const };
    expect(describeError(new AppError(info))).toBe(info);
  });
});
