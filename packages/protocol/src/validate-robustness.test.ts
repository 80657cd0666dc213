import { describe, expect, it } from 'vitest';
import { ApiError } from './errors.ts';
import { everyOpenAiField, everyVllmField, toolCallTurn, weatherTool } from './testing/requests.ts';
import { validateChatCompletionRequest } from './validate.ts';

/** Values of every JSON kind, including the awkward ones. */
const ODD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '',
  'x',
  true,
  false,
  [],
  [null],
  [{}],
  {},
  { type: null },
];

type Json = Record<string, unknown>;

/** Every way to replace one value somewhere inside `value` (objects and arrays, all depths). */
function* mutations(value: unknown): Generator<unknown> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const replacement of [...ODD_VALUES, ...mutations(value[i])]) {
        yield value.map((x, j) => (j === i ? replacement : x));
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const key of Object.keys(value)) {
      for (const replacement of [...ODD_VALUES, ...mutations((value as Json)[key])]) {
        yield { ...value, [key]: replacement };
      }
      const { [key]: _dropped, ...rest } = value as Json;
      yield rest;
    }
  }
}

const BODIES: [string, Json][] = [
  ['every OpenAI field', everyOpenAiField],
  ['every vLLM field', everyVllmField],
  [
    'tool round trip',
    {
      model: 'm',
      messages: toolCallTurn,
      tools: [weatherTool, { type: 'function', function: { name: 'get-time_2' } }],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    },
  ],
];

describe('validateChatCompletionRequest never crashes', () => {
  it.each(BODIES)('on any single-value mutation of %s', (_name, body) => {
    let accepted = 0;
    let rejected = 0;
    for (const mutated of mutations(body)) {
      try {
        validateChatCompletionRequest(mutated);
        accepted++;
      } catch (error) {
        if (!(error instanceof ApiError))
          throw new Error(`${String(error)} for ${JSON.stringify(mutated).slice(0, 300)}`);
        expect(error.status).toBe(400);
        expect(typeof error.param === 'string' || error.param === null).toBe(true);
        rejected++;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(100);
  });
});
