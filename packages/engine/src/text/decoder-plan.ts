/**
 * Reads the `decoder` section of a tokenizer.json and decides how a single token id turns into
 * bytes, so decoding can be done token by token (streaming) with the same result as decoding a
 * whole sequence. Three shapes cover the LLM tokenizers we know:
 *
 * - `byte-level`: GPT-2 / Llama 3 / Qwen. Each vocabulary character stands for one byte.
 * - `pieces`: sentencepiece style (Llama 2, Mistral, Gemma): `▁` -> space replacements,
 *   `<0xAB>` byte-fallback tokens, maybe one leading space stripped from the whole text.
 * - `opaque`: anything else (WordPiece, CTC, regex replacements, ...). Tokens are decoded one
 *   at a time by the library, which is close but not exact for every decoder.
 */

export type DecoderPlan =
  | { readonly kind: 'byte-level' }
  | {
      readonly kind: 'pieces';
      /** Literal (from, to) replacements applied in order to each token's text. */
      readonly replacements: readonly (readonly [string, string])[];
      /** `<0xAB>` tokens stand for the single byte 0xAB. */
      readonly byteFallback: boolean;
      /** The decoded text loses one leading space (Metaspace prepend, or Fuse + Strip(' ', 1)). */
      readonly stripLeadingSpace: boolean;
    }
  | { readonly kind: 'opaque' };

type Json = { readonly [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Flatten nested `Sequence` decoders into one list. */
function flatten(decoder: unknown): Json[] {
  if (!isObject(decoder)) return [];
  if (decoder.type === 'Sequence' && Array.isArray(decoder.decoders))
    return decoder.decoders.flatMap(flatten);
  return [decoder];
}

export function planDecoder(decoder: unknown): DecoderPlan {
  const steps = flatten(decoder);
  if (steps.length === 0) return { kind: 'opaque' };
  if (steps.some((step) => step.type === 'ByteLevel')) {
    // Byte-level plus anything but no-ops would be unusual; the byte mapping decides the text.
    return steps.every((s) => s.type === 'ByteLevel' || s.type === 'Fuse')
      ? { kind: 'byte-level' }
      : { kind: 'opaque' };
  }

  const replacements: [string, string][] = [];
  let byteFallback = false;
  let stripLeadingSpace = false;
  let fused = false;
  for (const step of steps) {
    switch (step.type) {
      case 'Replace': {
        const pattern = step.pattern;
        if (!isObject(pattern) || typeof pattern.String !== 'string') return { kind: 'opaque' };
        replacements.push([pattern.String, typeof step.content === 'string' ? step.content : '']);
        break;
      }
      case 'Metaspace': {
        const replacement = typeof step.replacement === 'string' ? step.replacement : '\u2581';
        replacements.push([replacement, ' ']);
        // @huggingface/tokenizers strips the first token's leading space whatever the prepend scheme.
        stripLeadingSpace = true;
        break;
      }
      case 'ByteFallback':
        byteFallback = true;
        break;
      case 'Fuse':
        fused = true;
        break;
      case 'Strip': {
        const start = typeof step.start === 'number' ? step.start : 0;
        const stop = typeof step.stop === 'number' ? step.stop : 0;
        // Only "drop one leading space of the whole text" can be streamed.
        if (!fused || step.content !== ' ' || start > 1 || stop !== 0) return { kind: 'opaque' };
        if (start === 1) stripLeadingSpace = true;
        break;
      }
      default:
        return { kind: 'opaque' };
    }
  }
  return { kind: 'pieces', replacements, byteFallback, stripLeadingSpace };
}
