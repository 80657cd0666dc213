/**
 * The vocabulary as xgrammar needs it: one string per logits row, written in the GPT-2 byte-level
 * alphabet (xgrammar's `byte_level` vocab type), so every token's exact bytes survive the trip
 * through a JS string, whatever the tokenizer's own encoding (byte-level BPE, sentencepiece with
 * byte fallback, ...). `tokenBytes` already resolved those encodings.
 *
 * Special tokens (and ids the tokenizer does not know, e.g. padding rows) become empty strings,
 * which xgrammar never allows, except the stop tokens it is told about: a grammar can end the
 * output with EOS but never spell `<|im_start|>` inside a JSON string. Non-special added tokens
 * (`<think>`, `<tool_call>`) keep their text, so a grammar may use them.
 */
import { BYTE_TO_CHAR } from '../text/byte-level.ts';
import type { TextTokenizer } from '../text/tokenizer.ts';

const ALPHABET = BYTE_TO_CHAR.map((code) => String.fromCharCode(code));

const NONE = new Uint8Array(0);

/** The bytes a token adds to constrained output: none for special tokens. */
export function grammarTokenBytes(tokenizer: TextTokenizer, id: number): Uint8Array {
  return tokenizer.isSpecial(id) ? NONE : tokenizer.tokenBytes(id);
}

export function grammarVocab(tokenizer: TextTokenizer, rows: number): string[] {
  const vocab = new Array<string>(rows);
  for (let id = 0; id < rows; id++) {
    let text = '';
    for (const byte of grammarTokenBytes(tokenizer, id)) text += ALPHABET[byte];
    vocab[id] = text;
  }
  return vocab;
}
