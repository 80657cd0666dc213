/**
 * 16-bit floats <-> float32, without lookup tables.
 *
 * - f16 (IEEE binary16): 1 sign, 5 exponent (bias 15), 10 mantissa bits.
 * - bf16 (bfloat16): the top 16 bits of a float32, so bf16 -> f32 is exact (`bits << 16`).
 *
 * Decoding is bit manipulation on a Uint32Array view of the output. Encoding rounds to
 * nearest, ties to even, like numpy / PyTorch; NaN stays NaN, overflow becomes Infinity.
 * Byte arrays are little-endian, as safetensors stores them.
 */

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

/** The smallest f16 subnormal, 2^-24: a subnormal's value is `mantissa * F16_SUBNORMAL_UNIT`. */
const F16_SUBNORMAL_UNIT = 2 ** -24;

export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * F16_SUBNORMAL_UNIT;
  if (exponent === 31) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function bf16BitsToF32(h: number): number {
  scratchU32[0] = h << 16;
  return scratchF32[0];
}

/** Nearest f16 (ties to even) of a number, as its 16 bits. */
export function f32ToF16Bits(x: number): number {
  scratchF32[0] = x;
  const bits = scratchU32[0];
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 | (mantissa >>> 13) : 0); // Inf, quiet NaN
  const e = exponent - 112; // f16 biased exponent (127 - 15 = 112)
  if (e >= 31) return sign | 0x7c00; // >= 2^16: overflow to Infinity
  if (e <= 0) {
    // f16 subnormal (or zero): count in units of 2^-24, dropping `shift` bits of the 24-bit significand.
    if (e < -10) return sign; // below 2^-25: rounds to zero
    const significand = mantissa | 0x800000;
    const shift = 14 - e;
    return sign | roundShift(significand, shift); // may round up into the smallest normal: still correct
  }
  // Normal: keep 10 of 23 mantissa bits; a carry out of the mantissa bumps the exponent (up to Infinity).
  return sign | roundShift((e << 23) | mantissa, 13);
}

/** Nearest bf16 (ties to even) of a number, as its 16 bits. */
export function f32ToBf16Bits(x: number): number {
  scratchF32[0] = x;
  const bits = scratchU32[0];
  if ((bits & 0x7f800000) === 0x7f800000 && bits & 0x7fffff) return (bits >>> 16) | 0x40; // quiet NaN
  return roundShift(bits, 16);
}

/** `value >> shift`, rounded to nearest with ties to even (value < 2^32, 1 <= shift <= 24). */
function roundShift(value: number, shift: number): number {
  const kept = Math.floor(value / 2 ** shift);
  const rest = value - kept * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && kept & 1) ? kept + 1 : kept;
}

/** Little-endian f16 bytes -> Float32Array. */
export function decodeF16(bytes: Uint8Array): Float32Array {
  const halves = u16View(bytes);
  const out = new Float32Array(halves.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < halves.length; i++) {
    const h = halves[i];
    const exponent = h & 0x7c00;
    if (exponent !== 0 && exponent !== 0x7c00) {
      // Normal: move sign to bit 31, rebias the exponent by 112 (0x1c000 = 112 << 10), widen the mantissa.
      outBits[i] = ((h & 0x8000) << 16) | (((h & 0x7fff) + 0x1c000) << 13);
    } else if (exponent === 0) {
      out[i] = (h & 0x8000 ? -1 : 1) * (h & 0x3ff) * F16_SUBNORMAL_UNIT; // zero, subnormal
    } else {
      outBits[i] = ((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13); // Inf, NaN (payload kept)
    }
  }
  return out;
}

/** Little-endian bf16 bytes -> Float32Array (exact). */
export function decodeBf16(bytes: Uint8Array): Float32Array {
  const halves = u16View(bytes);
  const out = new Float32Array(halves.length);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < halves.length; i++) outBits[i] = halves[i] << 16;
  return out;
}

/** Little-endian f32 bytes -> Float32Array (a copy only when the bytes are misaligned). */
export function decodeF32(bytes: Uint8Array): Float32Array {
  assertLittleEndianHost();
  if (bytes.length % 4 !== 0) throw new RangeError(`f32 data has ${bytes.length} bytes, not a multiple of 4`);
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Float32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}

export function encodeF16(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f32ToF16Bits(values[i]);
  return asBytes(out);
}

export function encodeBf16(values: Float32Array): Uint8Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = f32ToBf16Bits(values[i]);
  return asBytes(out);
}

export function encodeF32(values: Float32Array): Uint8Array {
  assertLittleEndianHost();
  return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

function u16View(bytes: Uint8Array): Uint16Array {
  assertLittleEndianHost();
  if (bytes.length % 2 !== 0)
    throw new RangeError(`16-bit data has ${bytes.length} bytes, not a multiple of 2`);
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice();
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.length / 2);
}

function asBytes(array: Uint16Array): Uint8Array {
  assertLittleEndianHost();
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

function assertLittleEndianHost(): void {
  if (!LITTLE_ENDIAN) throw new Error('cinder reads tensors only on little-endian hosts');
}
