/**
 * GPT-2 style byte-level alphabet: every byte 0..255 is written as one printable unicode
 * character in the vocabulary (space -> 'Ġ', newline -> 'Ċ', ...). This is `bytes_to_unicode()`
 * from the GPT-2 repository, and what the `ByteLevel` pre-tokenizer and decoder use.
 */

/** BYTE_TO_CHAR[b] is the code point that stands for byte b. */
export const BYTE_TO_CHAR: readonly number[] = buildByteToChar();

/** CHAR_TO_BYTE[codePoint] is the byte it stands for, or -1. All mapped code points are < 512. */
export const CHAR_TO_BYTE: Int16Array = buildCharToByte(BYTE_TO_CHAR);

function buildByteToChar(): number[] {
  const table = new Array<number>(256).fill(-1);
  const printable = (b: number) =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  for (let b = 0; b < 256; b++) if (printable(b)) table[b] = b;
  let next = 256;
  for (let b = 0; b < 256; b++) if (table[b] === -1) table[b] = next++;
  return table;
}

function buildCharToByte(byteToChar: readonly number[]): Int16Array {
  const table = new Int16Array(512).fill(-1);
  byteToChar.forEach((char, byte) => {
    table[char] = byte;
  });
  return table;
}

const utf8 = new TextEncoder();

/**
 * The bytes a byte-level vocabulary entry stands for. A character outside the alphabet (which a
 * well-formed byte-level vocabulary never has) is kept as its own UTF-8 bytes.
 */
export function byteLevelTokenBytes(token: string): Uint8Array {
  const out: number[] = [];
  for (const ch of token) {
    const cp = ch.codePointAt(0)!;
    const byte = cp < 512 ? CHAR_TO_BYTE[cp] : -1;
    if (byte >= 0) out.push(byte);
    else for (const b of utf8.encode(ch)) out.push(b);
  }
  return Uint8Array.from(out);
}
