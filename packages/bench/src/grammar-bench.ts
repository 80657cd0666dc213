/**
 * Constrained decoding costs at Qwen3's 151,936-row vocabulary (the real Qwen3 tokenizer of the
 * tiny-qwen3 fixture): the one-time grammar setup per model, compile time of a typical JSON schema
 * (cold, another schema once warm, and cached), a forced tool-call grammar, and the per-token
 * overhead of decoding under a grammar: computing the allowed-token mask, applying it to a logits
 * row and advancing the matcher, walking the tokens of a real answer to the schema.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Constraint,
  DEFAULT_JSON_OPTIONS,
  loadTokenizer,
  ModelGrammars,
  schemaLeaf,
  type TagFormat,
  toolFormatFor,
} from '@cinder/engine';
import { ensureFixture } from '@cinder/fixtures';
import type { Row } from './table.ts';

const VOCAB_ROWS = 151_936;
const WALKS = 5;

/** A typical response_format schema: strings, an enum, numbers with bounds, an array, a nested object. */
export const TYPICAL_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    email: { type: 'string' },
    age: { type: 'integer', minimum: 0, maximum: 150 },
    role: { enum: ['admin', 'editor', 'viewer'] },
    tags: { type: 'array', items: { type: 'string' } },
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' }, zip: { type: 'string' } },
      required: ['city'],
    },
    active: { type: 'boolean' },
  },
  required: ['name', 'age', 'role', 'active'],
  additionalProperties: false,
};

const ANSWER = JSON.stringify(
  {
    name: 'Ada Lovelace',
    email: 'ada@example.org',
    age: 36,
    role: 'admin',
    tags: ['math', 'engines', 'poetry'],
    address: { street: '12 St James Square', city: 'London', zip: 'SW1Y' },
    active: true,
  },
  null,
  2,
);

const constraint = (format: TagFormat): Constraint => ({
  format,
  json: DEFAULT_JSON_OPTIONS,
  param: 'bench',
});

export async function benchGrammar(): Promise<Row[]> {
  const dir = await ensureFixture('tiny-qwen3');
  const json = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
  const tokenizer = loadTokenizer(await json('tokenizer.json'), await json('tokenizer_config.json'));
  const model = `Qwen3 tokenizer, ${VOCAB_ROWS}-row vocab`;
  const row = (setting: string, result: string): Row => ({
    benchmark: 'constrained decoding',
    model,
    setting,
    result,
  });

  let start = performance.now();
  const grammars = await ModelGrammars.of({
    tokenizer,
    vocabSize: VOCAB_ROWS,
    stopTokenIds: [151645, 151643],
  });
  const setupMs = performance.now() - start;

  const typical = constraint(schemaLeaf(TYPICAL_SCHEMA));
  start = performance.now();
  const compiled = await grammars.compile(typical);
  const coldMs = performance.now() - start;

  const other = constraint(schemaLeaf({ ...TYPICAL_SCHEMA, required: ['name', 'email'] }));
  start = performance.now();
  await grammars.compile(other);
  const warmMs = performance.now() - start;

  start = performance.now();
  await grammars.compile(constraint(schemaLeaf(TYPICAL_SCHEMA)));
  const cachedMs = performance.now() - start;

  // tool_choice "required" over two tools, in the Hermes / Qwen format.
  const toolGrammar = toolFormatFor('<tool_call>').callGrammar(
    [
      {
        name: 'get_weather',
        arguments: schemaLeaf({
          type: 'object',
          properties: { city: { type: 'string' }, unit: { enum: ['c', 'f'] } },
          required: ['city'],
        }),
      },
      {
        name: 'search',
        arguments: schemaLeaf({
          type: 'object',
          properties: { query: { type: 'string' }, limit: { type: 'integer' } },
          required: ['query'],
        }),
      },
    ],
    { parallel: true },
  );
  start = performance.now();
  await grammars.compile(constraint(toolGrammar));
  const toolMs = performance.now() - start;

  const perToken = await walk(grammars, compiled, tokenizer.encode(ANSWER));
  return [
    row('setup per model (vocabulary, UTF-8 and whitespace masks)', `${setupMs.toFixed(0)} ms`),
    row('compile typical JSON schema (7 properties, nested), first', `${coldMs.toFixed(0)} ms`),
    row('compile another schema, compiler warm', `${warmMs.toFixed(0)} ms`),
    row('compile the same schema again (LRU cache)', `${cachedMs.toFixed(2)} ms`),
    row('compile tool_choice=required grammar (2 tools, hermes)', `${toolMs.toFixed(0)} ms`),
    row(
      `per-token overhead: mask + apply + advance (${perToken.tokens} tokens of an answer, ${WALKS} walks)`,
      `${perToken.mean.toFixed(3)} ms/token (median ${perToken.median.toFixed(3)}, max ${perToken.max.toFixed(3)})`,
    ),
    row('  of which: mask (xgrammar + copy + UTF-8)', `${perToken.maskMean.toFixed(3)} ms/token`),
    row('  of which: apply to the logits row', `${perToken.applyMean.toFixed(3)} ms/token`),
  ];
}

interface TokenTimes {
  readonly tokens: number;
  readonly mean: number;
  readonly median: number;
  readonly max: number;
  readonly maskMean: number;
  readonly applyMean: number;
}

/** Time each step of walking `ids` under the grammar, WALKS times (after one untimed walk to warm up). */
async function walk(
  grammars: ModelGrammars,
  compiled: Awaited<ReturnType<ModelGrammars['compile']>>,
  ids: readonly number[],
): Promise<TokenTimes> {
  const logits = new Float32Array(VOCAB_ROWS);
  const times: number[] = [];
  let mask = 0;
  let apply = 0;
  for (let walkIndex = 0; walkIndex <= WALKS; walkIndex++) {
    const timed = walkIndex > 0;
    const state = await grammars.start(compiled);
    for (const id of ids) {
      logits.fill(1);
      const t0 = performance.now();
      state.mask();
      const t1 = performance.now();
      state.apply(logits);
      const t2 = performance.now();
      state.accept(id);
      const t3 = performance.now();
      if (timed) {
        times.push(t3 - t0);
        mask += t1 - t0;
        apply += t2 - t1;
      }
    }
    state.release();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    tokens: ids.length,
    mean: times.reduce((s, v) => s + v, 0) / times.length,
    median: sorted[sorted.length >> 1],
    max: sorted[sorted.length - 1],
    maskMean: mask / times.length,
    applyMean: apply / times.length,
  };
}
