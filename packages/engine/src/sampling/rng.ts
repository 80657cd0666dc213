/**
 * Seeded random numbers: xoshiro128** (32-bit state words, fast with plain JS numbers) seeded
 * through splitmix64 from a 64-bit seed, so any OpenAI/vLLM seed in [-2^63, 2^63) is usable
 * and distinct seeds give distinct streams. The same seed always gives the same stream.
 * Without a seed, the state comes from `crypto.getRandomValues`.
 */

export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number;
}

const MASK64 = (1n << 64n) - 1n;

/** splitmix64: expands one 64-bit seed into well-mixed 64-bit words. */
function splitmix64(seed: bigint): () => bigint {
  let state = seed & MASK64;
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  };
}

function seedWords(seed: number | bigint | null | undefined): Uint32Array {
  const words = new Uint32Array(4);
  if (seed === null || seed === undefined) {
    crypto.getRandomValues(words);
  } else {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new RangeError(`seed must be an integer, got ${seed}`);
    }
    const next = splitmix64(BigInt.asUintN(64, BigInt(seed)));
    const a = next();
    const b = next();
    words[0] = Number(a & 0xffffffffn);
    words[1] = Number(a >> 32n);
    words[2] = Number(b & 0xffffffffn);
    words[3] = Number(b >> 32n);
  }
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1; // the all-zero state is a fixed point
  return words;
}

export function createRng(seed?: number | bigint | null): Rng {
  return xoshiro128ss(seedWords(seed));
}

/** The generator itself, from four 32-bit state words (not all zero). */
export function xoshiro128ss(s: Uint32Array): Rng {
  let s0 = s[0];
  let s1 = s[1];
  let s2 = s[2];
  let s3 = s[3];
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

  function nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  }

  return {
    nextUint32,
    nextFloat() {
      const high = nextUint32() >>> 5; // 27 bits
      const low = nextUint32() >>> 6; // 26 bits
      return (high * 67108864 + low) / 9007199254740992;
    },
  };
}
