/**
 * Special-token fields of a tokenizer_config.json. Each may be a string, null, or a serialized
 * AddedToken object (`{"__type": "AddedToken", "content": "<s>", ...}`).
 */

export const SPECIAL_TOKEN_KEYS = [
  'bos_token',
  'eos_token',
  'unk_token',
  'sep_token',
  'pad_token',
  'cls_token',
  'mask_token',
] as const;

export type SpecialTokenKey = (typeof SPECIAL_TOKEN_KEYS)[number];

/** The text of a special-token field, or null when it is absent or malformed. */
export function tokenContent(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'content' in value) {
    const content = (value as { content: unknown }).content;
    return typeof content === 'string' ? content : null;
  }
  return null;
}

/** `{bos_token: '<s>', eos_token: '</s>', ...}` with only the fields that are set, as HF's special_tokens_map. */
export function specialTokensMap(config: Readonly<Record<string, unknown>>): Record<string, string> {
  const map: Record<string, string> = {};
  for (const key of SPECIAL_TOKEN_KEYS) {
    const content = tokenContent(config[key]);
    if (content !== null) map[key] = content;
  }
  return map;
}
