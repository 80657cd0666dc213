/**
 * Tokenizers for tests: the real Qwen3 and Llama 3.1 files from packages/fixtures (read by the
 * test files with node:fs; this module only builds the tiny synthetic one), and a small
 * sentencepiece-style tokenizer (Llama 2 layout: `▁` spaces, `<0xAB>` byte fallback, one leading
 * space stripped on decode) made in memory.
 */

const letters = 'abcdefghijklmnopqrstuvwxyz';

export function sentencepieceTokenizerJson(): Record<string, unknown> {
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (let b = 0; b < 256; b++) vocab[`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`] = 3 + b;
  const pieces = [
    '\u2581',
    ...letters,
    '\u2581h',
    '\u2581he',
    'll',
    'llo',
    '\u2581w',
    '\u2581wor',
    'or',
    'ld',
  ];
  for (const piece of pieces) vocab[piece] = Object.keys(vocab).length;
  const merges = ['\u2581 h', '\u2581h e', 'l l', 'll o', '\u2581 w', 'o r', '\u2581w or', 'l d'];
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  return {
    version: '1.0',
    added_tokens: [special(0, '<unk>'), special(1, '<s>'), special(2, '</s>')],
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: '\u2581' },
        { type: 'Replace', pattern: { String: ' ' }, content: '\u2581' },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: '\u2581' }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      vocab,
      merges,
    },
  };
}

export const sentencepieceTokenizerConfig = {
  bos_token: '<s>',
  eos_token: '</s>',
  unk_token: '<unk>',
  add_bos_token: true,
  clean_up_tokenization_spaces: false,
};
