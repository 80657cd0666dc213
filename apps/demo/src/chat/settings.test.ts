import { describe, expect, it } from 'vitest';
import { clampSetting, LIMITS, parseExtraParams } from './settings.ts';

describe('settings', () => {
  it('extra parameters must be a JSON object', () => {
    expect(parseExtraParams('')).toEqual({});
    expect(parseExtraParams(' {"seed": 7} ')).toEqual({ seed: 7 });
    expect(() => parseExtraParams('{seed: 7}')).toThrow(/not valid JSON/);
    expect(() => parseExtraParams('[1]')).toThrow(/must be a JSON object/);
    expect(() => parseExtraParams('null')).toThrow(/must be a JSON object/);
  });

  it('numbers are kept inside their limits', () => {
    expect(clampSetting(3, LIMITS.temperature, 0.7)).toBe(2);
    expect(clampSetting(-1, LIMITS.temperature, 0.7)).toBe(0);
    expect(clampSetting(Number.NaN, LIMITS.topP, 0.95)).toBe(0.95);
  });
});
