/**
 * Every token id of a fixture's vocabulary goes through llama-server as its character of the id
 * vocabulary (runtime-wllama's gguf-vocabulary.ts): raw completions of the ids (llama-server must
 * count exactly one prompt token per id) and the runtime's own path (a step of the ids with a greedy
 * device draw, then a continuation). On tiny-smollm2 (323 ids) in f32 and q8_0 and on tiny-llama
 * (Llama 3's 128,256 ids). Ids past the vocabulary are what makes llama-server answer "Failed to
 * format input: unordered_map::at: key not found": Runtime.step refuses them before, and a raw
 * completion's error says what happened.
 */
import { readFile } from 'node:fs/promises';
import { ensureGgufFixtures } from '@cinder/fixtures';
import { idsToText } from '@cinder/runtime-wllama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/browser.ts';
import { startWllamaPage, type WllamaPage } from '../wllama-page/harness.ts';

let app: WllamaPage;

const CASES = [
  ['tiny-smollm2', 'f32', 323],
  ['tiny-smollm2', 'q8_0', 323],
  ['tiny-llama', 'f32', 128_256],
] as const;

describe.skipIf(!hasChromium())('wllama: every id of the vocabulary', () => {
  beforeAll(async () => {
    const infos = await ensureGgufFixtures();
    app = await startWllamaPage();
    for (const [fixture, type] of CASES) {
      const file = infos.find((info) => info.name === fixture)?.files[type];
      if (!file) throw new Error(`no ${type} GGUF of ${fixture}`);
      await app.addModel(`${fixture}-${type}`, { 'model.gguf': await readFile(file) });
    }
  }, 300_000);

  afterAll(async () => {
    await app?.close();
  });

  it.each(CASES)(
    '%s %s: all %i ids, as prompts and continuations',
    async (fixture, type, vocab) => {
      const key = `${fixture}-${type}`;
      const info = await app.call('load', key, key, { contextLength: 512 });
      expect(info.vocabSize).toBe(vocab);
      const sweep = await app.call('vocabularySweep', key, 500);
      expect(sweep.failures).toEqual([]);
      expect(sweep.miscounted).toEqual([]);
      expect(sweep.chunks).toBe(Math.ceil(vocab / 500));
      expect(sweep.drawn.every((id) => Number.isInteger(id) && id >= 0 && id < vocab)).toBe(true);
      if (fixture === 'tiny-smollm2') {
        // Past the vocabulary: the runtime refuses the id; llama-server cannot tokenize its character.
        await expect(app.call('lastLogits', key, [5, vocab])).rejects.toThrow(
          /outside the vocabulary \[0, 323\)/,
        );
        await expect(
          app.call('complete', key, { prompt: idsToText([5, 541]), n_predict: 1 }),
        ).rejects.toThrow(
          /unordered_map::at: key not found \(the prompt has a character that is not a token/,
        );
      }
      await app.call('dispose', key);
    },
    240_000,
  );
});
