import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureFixture } from '@cinder/fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer, type TextTokenizer } from '../text/tokenizer.ts';
import { afterReasoning } from './after-reasoning.ts';
import { DEFAULT_JSON_OPTIONS, type TagFormat } from './constraint.ts';
import { ModelGrammars } from './model-grammars.ts';

let tokenizer: TextTokenizer;
let grammars: ModelGrammars;

beforeAll(async () => {
  const dir = await ensureFixture('tiny-smollm2');
  const json = async (file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
  tokenizer = loadTokenizer(await json('tokenizer.json'), await json('tokenizer_config.json'));
  grammars = await ModelGrammars.of({ tokenizer, vocabSize: 323, stopTokenIds: [tokenizer.eosTokenId!] });
});

/** Does the format accept exactly `text` (then the stop token)? */
async function accepts(format: TagFormat, text: string): Promise<boolean> {
  const state = await grammars.start(
    await grammars.compile({ format, json: DEFAULT_JSON_OPTIONS, param: 'p' }),
  );
  try {
    for (const id of [...tokenizer.encode(text), tokenizer.eosTokenId!]) {
      const logits = new Float32Array(323);
      state.apply(logits);
      if (logits[id] !== 0) return false;
      state.accept(id);
    }
    return state.terminated;
  } finally {
    state.release();
  }
}

const body: TagFormat = { type: 'const_string', value: 'yes' };

describe('afterReasoning', () => {
  it('leaves the constraint alone for models that do not think, or when the prompt closed the block', () => {
    expect(afterReasoning(body, null)).toBe(body);
    expect(afterReasoning(body, { startsInReasoning: false, mayOpen: false })).toBe(body);
  });

  it('lets a thinking model think first, or answer directly', async () => {
    const format = afterReasoning(body, { startsInReasoning: false, mayOpen: true });
    expect(await accepts(format, '<think>hmm, ok</think>\n\nyes')).toBe(true);
    expect(await accepts(format, 'yes')).toBe(true);
    expect(await accepts(format, '<think>hmm</think>no')).toBe(false);
  });

  it('continues a block the prompt opened', async () => {
    const format = afterReasoning(body, { startsInReasoning: true, mayOpen: false });
    expect(await accepts(format, 'so</think>\nyes')).toBe(true);
    expect(await accepts(format, 'yes')).toBe(false);
  });
});
