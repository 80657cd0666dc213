/**
 * A thin wrapper over `@huggingface/tokenizers` with what the engine needs per token:
 * the exact bytes a token stands for (for streaming and logprob `bytes`), whether it is
 * special, and the model's BOS/EOS ids.
 *
 * `decode` is done here, from token bytes, for byte-level and sentencepiece-style tokenizers, so
 * it always equals the concatenation of what the streaming detokenizer emits. Like vLLM's
 * output path (and unlike `transformers`' `decode`), it never applies
 * `clean_up_tokenization_spaces`. Other decoders fall back to the library's `decode`.
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { byteLevelTokenBytes } from './byte-level.ts';
import { type DecoderPlan, planDecoder } from './decoder-plan.ts';
import { specialTokensMap, tokenContent } from './special-tokens.ts';

export type TokenizerJson = Readonly<Record<string, unknown>>;
export type TokenizerConfig = Readonly<Record<string, unknown>>;

export interface EncodeOptions {
  /** Let the post-processor add BOS/EOS (e.g. Llama 3's `<|begin_of_text|>`). Default false: chat prompts carry their own. */
  readonly addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  /** Drop special tokens (`special: true` added tokens and `additional_special_tokens`). Default false. */
  readonly skipSpecialTokens?: boolean;
  /** Slow-tokenizer behaviour: put a space between added tokens and the text around them. Default false. */
  readonly spacesBetweenSpecialTokens?: boolean;
}

export interface TextTokenizer {
  /** One past the largest token id the tokenizer knows (the model's logits row may be longer). */
  readonly vocabSize: number;
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
  /** EOS ids known to the tokenizer config (the engine may add generation_config ones). */
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number | null;
  readonly specialTokenIds: ReadonlySet<number>;
  /** `{bos_token, eos_token, pad_token, ...}` contents from tokenizer_config, for chat templates. */
  readonly specialTokens: Readonly<Record<string, string>>;
  /** Decoding drops one leading space from the first token (sentencepiece); the detokenizer needs this. */
  readonly stripsLeadingSpace: boolean;
  encode(text: string, options?: EncodeOptions): number[];
  decode(ids: readonly number[], options?: DecodeOptions): string;
  /** The exact bytes token `id` stands for, cached; empty for unknown ids. Do not mutate. */
  tokenBytes(id: number): Uint8Array;
  /** The text of one token decoded on its own (a partial UTF-8 character shows as U+FFFD). */
  tokenText(id: number): string;
  /** The raw vocabulary string (`Ġhello`, `▁hello`, `<0x0A>`, `<|im_end|>`). */
  tokenString(id: number): string | undefined;
  isSpecial(id: number): boolean;
  /** True for any added token (special or not, e.g. Qwen's `<think>`). */
  isAdded(id: number): boolean;
  idOf(token: string): number | undefined;
}

const utf8Encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

export function loadTokenizer(
  tokenizerJson: TokenizerJson,
  tokenizerConfig: TokenizerConfig = {},
): TextTokenizer {
  return new HfTextTokenizer(tokenizerJson, tokenizerConfig);
}

interface AddedTokenInfo {
  readonly content: string;
  readonly special: boolean;
}

class HfTextTokenizer implements TextTokenizer {
  readonly vocabSize: number;
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number | null;
  readonly specialTokenIds: ReadonlySet<number>;
  readonly specialTokens: Readonly<Record<string, string>>;
  readonly stripsLeadingSpace: boolean;

  private readonly lib: Tokenizer;
  private readonly plan: DecoderPlan;
  private readonly added = new Map<number, AddedTokenInfo>();
  private readonly bytesCache: (Uint8Array | undefined)[];

  constructor(json: TokenizerJson, config: TokenizerConfig) {
    this.lib = new Tokenizer(json, config);
    this.plan = planDecoder(json.decoder);
    this.stripsLeadingSpace = this.plan.kind === 'pieces' && this.plan.stripLeadingSpace;

    const special = new Set<number>();
    for (const token of Array.isArray(json.added_tokens) ? json.added_tokens : []) {
      const { id, content } = token as { id: unknown; content: unknown };
      if (typeof id !== 'number' || typeof content !== 'string') continue;
      const isSpecial = (token as { special?: unknown }).special === true;
      this.added.set(id, { content, special: isSpecial });
      if (isSpecial) special.add(id);
    }
    const extra = config.additional_special_tokens;
    for (const entry of Array.isArray(extra) ? extra : []) {
      const id = this.idOfContent(tokenContent(entry));
      if (id !== null) special.add(id);
    }
    this.specialTokenIds = special;

    this.specialTokens = specialTokensMap(config);
    this.bosTokenId = this.idOfContent(this.specialTokens.bos_token ?? null);
    this.eosTokenId = this.idOfContent(this.specialTokens.eos_token ?? null);
    this.padTokenId = this.idOfContent(this.specialTokens.pad_token ?? null);
    this.eosTokenIds = this.eosTokenId === null ? [] : [this.eosTokenId];

    this.vocabSize = this.lib.model?.vocab.length ?? 0;
    this.bytesCache = new Array(this.vocabSize);
  }

  encode(text: string, options: EncodeOptions = {}): number[] {
    const ids = this.lib.encode(text, { add_special_tokens: options.addSpecialTokens ?? false }).ids;
    // A vocabulary without an unknown token maps unencodable text to `undefined`: drop those.
    return ids.every(Number.isInteger) ? ids : ids.filter(Number.isInteger);
  }

  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    const skip = options.skipSpecialTokens ?? false;
    const kept = skip ? ids.filter((id) => !this.isSpecial(id)) : ids.slice();
    if (kept.length === 0) return '';
    if (this.plan.kind === 'opaque' && !options.spacesBetweenSpecialTokens) {
      return this.lib.decode(kept, { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    }
    // Split into runs at added tokens only when spaces go between them.
    const segments: number[][] = [[]];
    for (const id of kept) {
      if (options.spacesBetweenSpecialTokens && this.added.has(id)) segments.push([id], []);
      else segments[segments.length - 1].push(id);
    }
    const texts = segments.filter((s) => s.length > 0).map((s, i) => this.decodeRun(s, i === 0));
    return texts.join(options.spacesBetweenSpecialTokens ? ' ' : '');
  }

  /** Bytes of a run of tokens, decoded once so multi-token characters come out whole. */
  private decodeRun(ids: number[], first: boolean): string {
    if (this.plan.kind === 'opaque') return ids.map((id) => this.tokenText(id)).join('');
    let length = 0;
    for (const id of ids) length += this.tokenBytes(id).length;
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const id of ids) {
      bytes.set(this.tokenBytes(id), offset);
      offset += this.tokenBytes(id).length;
    }
    const start = first && this.stripsLeadingSpace && bytes[0] === 0x20 ? 1 : 0;
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start));
  }

  tokenBytes(id: number): Uint8Array {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) return EMPTY;
    let bytes = this.bytesCache[id];
    if (bytes === undefined) {
      bytes = this.computeTokenBytes(id);
      this.bytesCache[id] = bytes;
    }
    return bytes;
  }

  private computeTokenBytes(id: number): Uint8Array {
    const token = this.lib.id_to_token(id);
    if (token === undefined) return EMPTY;
    const plan = this.plan;
    switch (plan.kind) {
      case 'byte-level':
        // Added tokens are stored as plain text, not in the byte alphabet.
        return this.added.has(id) ? utf8Encoder.encode(token) : byteLevelTokenBytes(token);
      case 'pieces': {
        const byte = plan.byteFallback && !this.added.has(id) ? BYTE_TOKEN.exec(token) : null;
        if (byte) return Uint8Array.of(Number.parseInt(byte[1], 16));
        let text = token;
        for (const [from, to] of plan.replacements) text = text.replaceAll(from, to);
        return utf8Encoder.encode(text);
      }
      case 'opaque':
        return utf8Encoder.encode(this.lib.decode([id], { clean_up_tokenization_spaces: false }));
    }
  }

  tokenText(id: number): string {
    if (this.plan.kind === 'opaque') {
      return this.tokenBytes(id).length === 0 ? '' : new TextDecoder().decode(this.tokenBytes(id));
    }
    return this.decodeRun([id], true);
  }

  tokenString(id: number): string | undefined {
    return this.lib.id_to_token(id);
  }

  isSpecial(id: number): boolean {
    return this.specialTokenIds.has(id);
  }

  isAdded(id: number): boolean {
    return this.added.has(id);
  }

  idOf(token: string): number | undefined {
    return this.lib.token_to_id(token);
  }

  private idOfContent(content: string | null): number | null {
    if (content === null) return null;
    return this.lib.token_to_id(content) ?? null;
  }
}
