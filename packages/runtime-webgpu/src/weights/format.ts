/**
 * How a weight matrix [rows, cols] is stored on the GPU, per dtype. Every format is an array of
 * u32 words, row-major, so WGSL reads it without `shader-f16`:
 *
 *   f32  one word per weight (bit pattern of the float)
 *   f16  two weights per word (unpack2x16float: element 2i in the low half)
 *   q8   signed 8-bit ints, four per word (element 4i in the low byte), groups of 32 along a row
 *   q4   4-bit ints stored as q + 8, eight per word (element 8i in the low nibble), groups of 32
 *
 * q8 / q4 have one f16 scale per group of 32 weights in a second array (two scales per word,
 * scale g of the tensor at index g): weight = q * scale, symmetric (no zero point), as MLC's
 * q4f16_1 and ratchet's Q8 do. A row has ceil(cols / 32) groups; the last is zero-padded.
 */
export type WeightDtype = 'f32' | 'f16' | 'q8' | 'q4';

export const WEIGHT_DTYPES: readonly WeightDtype[] = ['f32', 'f16', 'q8', 'q4'];
export const GROUP_SIZE = 32;

export function isQuantized(dtype: WeightDtype): boolean {
  return dtype === 'q8' || dtype === 'q4';
}

/** u32 words of data per row. */
export function rowWords(dtype: WeightDtype, cols: number): number {
  const groups = Math.ceil(cols / GROUP_SIZE);
  switch (dtype) {
    case 'f32':
      return cols;
    case 'f16':
      return Math.ceil(cols / 2);
    case 'q8':
      return groups * 8;
    case 'q4':
      return groups * 4;
  }
}

/** Scale groups per row (0 for float formats). */
export function rowGroups(dtype: WeightDtype, cols: number): number {
  return isQuantized(dtype) ? Math.ceil(cols / GROUP_SIZE) : 0;
}

/** Bytes of data and of scales for `rows` rows (scales padded to whole words). */
export function matrixBytes(
  dtype: WeightDtype,
  rows: number,
  cols: number,
): { data: number; scales: number } {
  const scales = rows * rowGroups(dtype, cols);
  return { data: rows * rowWords(dtype, cols) * 4, scales: Math.ceil(scales / 2) * 4 };
}

/** Bytes per weight, scales included, for sizing whole models. */
export function bytesPerWeight(dtype: WeightDtype): number {
  return { f32: 4, f16: 2, q8: 1 + 2 / GROUP_SIZE, q4: 0.5 + 2 / GROUP_SIZE }[dtype];
}
