/**
 * llama.cpp's `tokenizer.ggml.pre`: which pre-tokenizer regex a byte-level BPE vocabulary uses.
 * convert_hf_to_gguf.py recognises tokenizers by hashing their output on a test string; we
 * recognise the `pre_tokenizer` of tokenizer.json instead, for the types we support, and
 * rebuild it from the type name when reading a GGUF.
 */
import { ModelFormatError } from '@cinder/model-format';

export type PreTokenizerType = 'llama-bpe' | 'qwen2' | 'smollm' | 'gpt-2' | 'default';
export const PRE_TOKENIZER_TYPES: readonly PreTokenizerType[] = [
  'llama-bpe',
  'qwen2',
  'smollm',
  'gpt-2',
  'default',
];

/** Llama 3.x (`\p{N}{1,3}`: up to three digits per piece). */
export const LLAMA3_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
/** Qwen2 / Qwen2.5 / Qwen3 (single digits). */
export const QWEN2_REGEX =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** GPT-2's regex (llama.cpp's `gpt-2` pre type; what ByteLevel's `use_regex` applies). */
const GPT2_REGEX = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
/** llama.cpp's `default` pre type: these regexes split one after another. */
const DEFAULT_REGEXES = ['[\\p{P}\\$\\+<=>\\^~\\|]+', GPT2_REGEX, '\\p{N}+', '[0-9][0-9][0-9]'];

type Json = Record<string, unknown>;

const byteLevel = (useRegex: boolean, trimOffsets: boolean): Json => ({
  type: 'ByteLevel',
  add_prefix_space: false,
  trim_offsets: trimOffsets,
  use_regex: useRegex,
});
const split = (regex: string): Json => ({
  type: 'Split',
  pattern: { Regex: regex },
  behavior: 'Isolated',
  invert: false,
});

/** The `normalizer` and `pre_tokenizer` of tokenizer.json for a `pre` type. */
export function preTokenizerJson(pre: PreTokenizerType): { normalizer: Json | null; pre_tokenizer: Json } {
  switch (pre) {
    case 'llama-bpe':
      return { normalizer: null, pre_tokenizer: sequence([split(LLAMA3_REGEX), byteLevel(false, true)]) };
    case 'qwen2':
      return {
        normalizer: { type: 'NFC' },
        pre_tokenizer: sequence([split(QWEN2_REGEX), byteLevel(false, false)]),
      };
    case 'smollm':
      return {
        normalizer: null,
        pre_tokenizer: sequence([{ type: 'Digits', individual_digits: true }, byteLevel(true, true)]),
      };
    case 'gpt-2':
      return { normalizer: null, pre_tokenizer: byteLevel(true, true) };
    case 'default':
      return {
        normalizer: null,
        pre_tokenizer: sequence([...DEFAULT_REGEXES.map(split), byteLevel(false, true)]),
      };
  }
}

/** Recognises the pre-tokenizer of a byte-level BPE tokenizer.json; throws for others. */
export function detectPreTokenizer(tokenizer: Json): PreTokenizerType {
  const pre = tokenizer.pre_tokenizer as Json | null | undefined;
  const steps =
    pre?.type === 'Sequence' && Array.isArray(pre.pretokenizers) ? (pre.pretokenizers as Json[]) : [pre];
  const types = steps.map((step) => step?.type);
  const regex = (steps[0]?.pattern as Json | undefined)?.Regex;
  if (types.join() === 'Split,ByteLevel' && regex === LLAMA3_REGEX) return 'llama-bpe';
  if (types.join() === 'Split,ByteLevel' && regex === QWEN2_REGEX) return 'qwen2';
  if (types.join() === 'Digits,ByteLevel' && steps[0]?.individual_digits === true) return 'smollm';
  if (types.join() === 'ByteLevel' && steps[0]?.use_regex !== false) return 'gpt-2';
  throw new ModelFormatError(
    `Unsupported pre-tokenizer ${JSON.stringify(pre)}; supported: Llama 3, Qwen2, SmolLM and GPT-2 byte-level BPE`,
  );
}

function sequence(pretokenizers: Json[]): Json {
  return { type: 'Sequence', pretokenizers };
}
