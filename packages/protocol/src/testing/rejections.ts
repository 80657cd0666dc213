/**
 * Test support for tables of invalid requests: each case is merged over a valid base request and
 * must be refused with a 400 naming `param` (and `code`, when given), as an OpenAI-valid error body.
 */
import { expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import { validateChatCompletionRequest } from '../validate.ts';
import { base } from './requests.ts';
import { validateAgainstSchema } from './schema.ts';

/** [name, fields merged over a valid base request, expected param, expected code (optional)] */
export type RejectCase = [string, Record<string, unknown>, string, string?];

/** The ApiError `validateChatCompletionRequest(body)` throws; fails the test if it accepts. */
export function rejection(body: unknown): ApiError {
  try {
    validateChatCompletionRequest(body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error(`accepted: ${JSON.stringify(body).slice(0, 200)}`);
}

/** One `it` per case. Call inside a `describe`. */
export function itRejects(cases: RejectCase[]): void {
  it.each(cases)('%s', (_name, extra, param, code) => {
    const error = rejection({ ...base, ...extra });
    expect({ status: error.status, type: error.type, param: error.param }).toEqual({
      status: 400,
      type: 'invalid_request_error',
      param,
    });
    if (code) expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(10);
    expect(validateAgainstSchema('ErrorResponse', error.toJSON())).toEqual([]);
  });
}
