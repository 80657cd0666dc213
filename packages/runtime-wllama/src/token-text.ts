/**
 * Token ids as text. llama-server (inside wllama 3.8.1) only takes prompts as strings, so the GGUF
 * handed to it gets a vocabulary in which token `id` is the single character U+10000 + id
 * (gguf-vocabulary.ts). A prompt of ids is then the string of their characters, which llama.cpp's
 * SentencePiece tokenizer splits back into exactly those ids: one character per symbol, and no
 * two-character token exists to merge into. Every id is one astral character, i.e. exactly two
 * UTF-16 code units, so a sequence's text is cut at `2 * length`.
 */

/** Code point of token 0. */
export const FIRST_CODE_POINT = 0x10000;
/** Ids that fit below U+10FFFF. */
export const MAX_VOCAB = 0x110000 - FIRST_CODE_POINT;
/** UTF-16 code units per token in the text. */
export const UNITS_PER_TOKEN = 2;

/** The character standing for one token id. */
export function tokenChar(id: number): string {
  return String.fromCodePoint(FIRST_CODE_POINT + id);
}

/** The text of a run of ids (each a surrogate pair). */
export function idsToText(ids: ArrayLike<number>): string {
  const units = new Uint16Array(ids.length * UNITS_PER_TOKEN);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    units[2 * i] = 0xd800 + (id >> 10);
    units[2 * i + 1] = 0xdc00 + (id & 0x3ff);
  }
  let text = '';
  const CHUNK = 8192;
  for (let i = 0; i < units.length; i += CHUNK) {
    text += String.fromCharCode(...units.subarray(i, i + CHUNK));
  }
  return text;
}

/** The ids of a text made by `idsToText`. */
export function textToIds(text: string): number[] {
  const ids: number[] = [];
  for (const char of text) ids.push((char.codePointAt(0) ?? FIRST_CODE_POINT) - FIRST_CODE_POINT);
  return ids;
}
