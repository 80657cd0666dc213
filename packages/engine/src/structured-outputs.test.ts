/**
 * Constrained decoding end to end on random-weight fixtures: whatever the weights (many seeds,
 * temperature 1), every response_format / structured_outputs answer parses and validates, unless
 * cut by max_tokens (finish_reason "length"). Bad schemas, regexes and grammars are 400s naming the param.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalEngine } from './index.ts';
import {
  complete,
  fixtureEngine,
  refusal,
  SEEDS,
  schemaErrors,
  streamChunks,
} from './structured/engine-test-support.ts';

const small = 'tiny-smollm2';
const qwen3 = 'tiny-qwen3';
let engine: LocalEngine;

beforeAll(async () => {
  engine = await fixtureEngine([small, qwen3]);
});
afterAll(() => engine.dispose());

const person = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 12 },
    age: { type: 'integer', minimum: 0, maximum: 130 },
    role: { enum: ['admin', 'user', 'guest'] },
    active: { type: 'boolean' },
    scores: { type: 'array', items: { type: 'number' }, maxItems: 3 },
    address: {
      type: 'object',
      properties: { city: { type: 'string', maxLength: 10 }, zip: { type: 'string', pattern: '^[0-9]{5}$' } },
      required: ['city', 'zip'],
      additionalProperties: false,
    },
  },
  required: ['name', 'age', 'role', 'active', 'address'],
  additionalProperties: false,
};

const jsonSchema = (schema: object) => ({
  type: 'json_schema',
  json_schema: { name: 'answer', strict: true, schema },
});

/**
 * Runs every seed; each answer that stopped must pass `check`. Most must stop: random weights
 * write long strings, so free-form JSON is cut off by max_tokens more often.
 */
async function everySeed(
  params: Record<string, unknown>,
  check: (content: string) => void,
  seeds = SEEDS,
  mustStop = 0.75,
) {
  let stopped = 0;
  for (const seed of seeds) {
    const completion = await complete(engine, { temperature: 1, max_tokens: 400, ...params, seed });
    const choice = completion.choices[0];
    expect(['stop', 'length']).toContain(choice.finish_reason);
    if (choice.finish_reason !== 'stop') continue;
    stopped++;
    check(choice.message.content ?? '');
  }
  expect(stopped).toBeGreaterThanOrEqual(Math.ceil(seeds.length * mustStop));
}

const validJson = (schema: object) => (content: string) => {
  expect(schemaErrors(schema, JSON.parse(content)), content).toEqual([]);
};

describe('response_format', () => {
  it('json_schema: every answer validates against the schema', async () => {
    await everySeed(
      { model: small, response_format: jsonSchema(person), max_tokens: 300 },
      validJson(person),
      SEEDS.slice(0, 6),
      0.5,
    );
  });

  it('json_object: every answer is a JSON object', async () => {
    const isObject = (content: string) => {
      const value = JSON.parse(content);
      expect(typeof value === 'object' && value !== null && !Array.isArray(value), content).toBe(true);
    };
    await everySeed(
      { model: small, response_format: { type: 'json_object' } },
      isObject,
      SEEDS.slice(0, 4),
      0.5,
    );
  });

  it('json_schema with the 151k-token Qwen3 vocabulary', async () => {
    const schema = {
      type: 'object',
      properties: {
        answer: { enum: ['yes', 'no', 'maybe'] },
        confidence: { type: 'integer', minimum: 1, maximum: 5 },
        final: { type: 'boolean' },
      },
      required: ['answer', 'confidence', 'final'],
      additionalProperties: false,
    };
    await everySeed(
      { model: qwen3, response_format: jsonSchema(schema), reasoning_effort: 'none', max_tokens: 150 },
      validJson(schema),
      SEEDS.slice(0, 4),
    );
  });

  it('a thinking model may think first; the answer after the block validates', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    for (const seed of SEEDS.slice(0, 4)) {
      const completion = await complete(engine, {
        model: qwen3,
        response_format: jsonSchema(schema),
        temperature: 1,
        max_tokens: 60,
        seed,
      });
      const { message, finish_reason } = completion.choices[0];
      if (finish_reason === 'stop')
        expect(schemaErrors(schema, JSON.parse(message.content ?? ''))).toEqual([]);
    }
  });

  it('structural_tag: the fixed text, then JSON valid against the schema', async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] };
    const format = {
      type: 'sequence',
      elements: [
        { type: 'const_string', value: 'Answer: ' },
        { type: 'json_schema', json_schema: schema },
      ],
    };
    await everySeed({ model: small, response_format: { type: 'structural_tag', format } }, (content) => {
      expect(content.startsWith('Answer: '), content).toBe(true);
      validJson(schema)(content.slice('Answer: '.length));
    });
  });
});

describe('structured_outputs', () => {
  it('regex: every answer matches', async () => {
    const pattern = '\\d{3}-[a-z]{2,5}( [A-Z][a-z]{1,6})?';
    await everySeed({ model: small, structured_outputs: { regex: pattern } }, (content) => {
      expect(content).toMatch(new RegExp(`^(?:${pattern})$`));
    });
  });

  it('choice: every answer is one of the choices', async () => {
    const choices = ['red', 'green', 'blue', 'a "quoted" \\ choice'];
    const seen = new Set<string>();
    await everySeed({ model: small, structured_outputs: { choice: choices } }, (content) => {
      expect(choices).toContain(content);
      seen.add(content);
    });
    expect(seen.size).toBeGreaterThan(1);
  });

  it('grammar (EBNF): every answer is in the language', async () => {
    const grammar = 'root ::= item ("," item)*\nitem ::= [0-9]{1,3} | "x"';
    await everySeed({ model: small, structured_outputs: { grammar } }, (content) => {
      expect(content).toMatch(/^(\d{1,3}|x)(,(\d{1,3}|x))*$/);
    });
  });

  it('json (a string) with disable_any_whitespace: compact separators only', async () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'integer' }, b: { type: 'boolean' } },
      required: ['a', 'b'],
    };
    await everySeed(
      { model: small, structured_outputs: { json: JSON.stringify(schema), disable_any_whitespace: true } },
      (content) => {
        validJson(schema)(content);
        expect(content).toMatch(/^\{"a": -?\d+(\.\d+)?([eE][+-]?\d+)?, "b": (true|false)\}$/);
      },
    );
  });

  it('json_object with whitespace_pattern: whitespace runs match the pattern', async () => {
    const schema = { type: 'object', properties: { a: { type: 'array', items: { type: 'integer' } } } };
    await everySeed(
      { model: small, structured_outputs: { json: schema, whitespace_pattern: ' ?' } },
      (content) => {
        validJson(schema)(content);
        expect(content, content).not.toMatch(/\s\s|[\n\t\r]/);
      },
      SEEDS.slice(0, 8),
    );
  });
});

describe('constrained generation', () => {
  it('a cut-off answer finishes with length', async () => {
    const completion = await complete(engine, {
      model: small,
      max_tokens: 3,
      response_format: jsonSchema(person),
      seed: 1,
    });
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('streams exactly the text of the whole completion, and n > 1 choices each validate', async () => {
    const schema = person.properties.address;
    const params = {
      model: small,
      temperature: 1,
      seed: 5,
      max_tokens: 300,
      response_format: jsonSchema(schema),
    };
    const whole = await complete(engine, params);
    const chunks = await streamChunks(engine, params);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(whole.choices[0].message.content);
    expect(chunks.at(-1)?.choices[0].finish_reason).toBe(whole.choices[0].finish_reason);
    const many = await complete(engine, { ...params, n: 3 });
    for (const choice of many.choices) {
      if (choice.finish_reason === 'stop') validJson(schema)(choice.message.content ?? '');
    }
  });

  it('other processors run after the mask and cannot break it', async () => {
    const extras = {
      top_k: 5,
      top_p: 0.8,
      min_p: 0.05,
      repetition_penalty: 1.3,
      frequency_penalty: 1,
      logit_bias: { '40': 100, '2': -100 },
      min_tokens: 200,
    };
    await everySeed(
      { model: small, structured_outputs: { choice: ['yes', 'no'] }, ...extras },
      (content) => {
        expect(['yes', 'no']).toContain(content);
      },
      SEEDS.slice(0, 6),
    );
  });

  it('ends when the grammar is complete, even with ignore_eos', async () => {
    const completion = await complete(engine, {
      model: small,
      structured_outputs: { choice: ['done'] },
      ignore_eos: true,
      seed: 3,
    });
    expect(completion.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'done' } });
  });
});

describe('invalid constraints are 400s naming the param', () => {
  it.each([
    [
      { response_format: jsonSchema({ type: 'objectx' }) },
      'response_format.json_schema.schema',
      'Unsupported type',
    ],
    [{ structured_outputs: { json: { type: 5 } } }, 'structured_outputs.json', 'should be a string'],
    [{ structured_outputs: { regex: '(a' } }, 'structured_outputs.regex', 'Regex'],
    [{ structured_outputs: { grammar: 'root ::= missing' } }, 'structured_outputs.grammar', 'not defined'],
    [
      { structured_outputs: { json_object: true, whitespace_pattern: '(?= )' } },
      'structured_outputs.whitespace_pattern',
      'lookaround',
    ],
    [
      { structured_outputs: { structural_tag: '{"format": {"type": "nope"}}' } },
      'structured_outputs.structural_tag',
      '',
    ],
    [
      { response_format: { type: 'structural_tag', format: { type: 'regex', pattern: '[' } } },
      'response_format',
      '',
    ],
  ])('%j', async (fields, param, words) => {
    const error = await refusal(engine, { model: small, ...fields });
    expect(error).toMatchObject({ status: 400, param });
    expect(error.message).toContain(words);
  });

  it('keeps working after a refused grammar', async () => {
    await refusal(engine, { model: small, structured_outputs: { regex: '[' } });
    const completion = await complete(engine, {
      model: small,
      structured_outputs: { regex: '[ab]{4}' },
      seed: 2,
    });
    expect(completion.choices[0].message.content).toMatch(/^[ab]{4}$/);
  });

  it('beam search cannot be constrained', async () => {
    const error = await refusal(engine, {
      model: small,
      use_beam_search: true,
      n: 2,
      response_format: { type: 'json_object' },
    });
    expect(error).toMatchObject({ status: 400, param: 'use_beam_search' });
  });
});
