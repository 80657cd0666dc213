import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFixture } from '@cinder/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, type TextTokenizer } from '../text/tokenizer.ts';
import { type Constraint, DEFAULT_JSON_OPTIONS, schemaLeaf, type TagFormat } from './constraint.ts';
import type { GrammarConstraint } from './grammar-constraint.ts';
import { type GrammarModel, ModelGrammars } from './model-grammars.ts';
import { xgrammarMemory } from './xgrammar.ts';

let tokenizer: TextTokenizer;
let model: GrammarModel;

beforeAll(async () => {
  const dir = await ensureFixture('tiny-smollm2');
  const json = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
  tokenizer = loadTokenizer(await json('tokenizer.json'), await json('tokenizer_config.json'));
  model = { tokenizer, vocabSize: 323, stopTokenIds: [tokenizer.eosTokenId!] };
});

const constraint = (format: TagFormat, param = 'p'): Constraint => ({
  format,
  json: DEFAULT_JSON_OPTIONS,
  param,
});

/** Feed `text` token by token; every token must be allowed by the mask before it is taken. */
async function walk(grammars: ModelGrammars, format: TagFormat, text: string): Promise<GrammarConstraint> {
  const compiled = await grammars.compile(constraint(format));
  const state = await grammars.start(compiled);
  for (const id of tokenizer.encode(text)) {
    const logits = new Float32Array(model.vocabSize);
    state.apply(logits);
    expect(logits[id], `token ${id} of ${JSON.stringify(text)}`).toBe(0);
    expect(state.accept(id)).toBe(id);
  }
  return state;
}

describe('ModelGrammars', () => {
  it('is one per tokenizer, and caches compiled grammars by constraint', async () => {
    const grammars = await ModelGrammars.of(model);
    expect(await ModelGrammars.of(model)).toBe(grammars);
    const format = schemaLeaf({ type: 'object', properties: { a: { type: 'integer' } } });
    const first = grammars.compile(constraint(format));
    expect(
      grammars.compile(constraint(schemaLeaf({ type: 'object', properties: { a: { type: 'integer' } } }))),
    ).toBe(first);
    await first;
  });

  it('masks everything but the grammar and terminates on the stop token', async () => {
    const grammars = await ModelGrammars.of(model);
    const state = await walk(
      grammars,
      schemaLeaf({ type: 'array', items: { type: 'boolean' } }),
      '[true, false]',
    );
    const logits = new Float32Array(model.vocabSize);
    state.apply(logits);
    const allowed = [...logits.keys()].filter((id) => logits[id] === 0);
    expect(allowed).toContain(tokenizer.eosTokenId);
    expect(state.terminated).toBe(false);
    state.accept(tokenizer.eosTokenId!);
    expect(state.terminated).toBe(true);
    state.release();
  });

  it('takes the first allowed token when the sampled one is not allowed', async () => {
    const grammars = await ModelGrammars.of(model);
    const state = await walk(grammars, { type: 'const_string', value: 'ok' }, 'o');
    const bad = tokenizer.encode('x')[0];
    expect(state.accept(bad)).toBe(tokenizer.encode('k')[0]);
    state.release();
  });

  it("reads masks straight from wasm memory, equal to xgrammar's own async reading", async () => {
    const grammars = await ModelGrammars.of(model);
    const compiled = await grammars.compile(constraint({ type: 'regex', pattern: '[a-c]{2}x' }));
    const ours = await grammars.start(compiled);
    const theirs = await grammars.xgr.GrammarMatcher.createGrammarMatcher(compiled);
    expect(xgrammarMemory()).toBeInstanceOf(WebAssembly.Memory);
    for (const text of ['', 'a', 'b', 'x']) {
      if (text !== '') {
        const id = tokenizer.encode(text)[0];
        ours.accept(id);
        theirs.acceptToken(id);
      }
      expect(ours.mask()).toEqual(await theirs.getNextTokenBitmask());
    }
    ours.release();
    theirs.dispose();
  });

  it('reports refused schemas and regexes on the leaf or constraint param', async () => {
    const grammars = await ModelGrammars.of(model);
    await expect(
      grammars.compile(constraint({ type: 'regex', pattern: '(?=a)a' }, 'structured_outputs.regex')),
    ).rejects.toMatchObject({
      status: 400,
      param: 'structured_outputs.regex',
      message: expect.stringContaining('Lookahead is not supported'),
    });
    const leaf = schemaLeaf({ type: 'objectx' }, 'tools[1].function.parameters');
    await expect(grammars.compile(constraint({ type: 'sequence', elements: [leaf] }))).rejects.toMatchObject({
      param: 'tools[1].function.parameters',
      message: expect.stringContaining('Unsupported type "objectx"'),
    });
  });
});
