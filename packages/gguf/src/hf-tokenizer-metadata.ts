/**
 * `tokenizer.*` metadata from Hugging Face tokenizer files, as convert_hf_to_gguf.py's
 * `_set_vocab_gpt2` (`get_vocab_base`) and gguf-py's `SpecialVocab` write it. Only byte-level
 * BPE tokenizers (`tokenizer.ggml.model = gpt2`) are supported.
 */
import { ModelFormatError } from '@cinder/model-format';
import { TOKEN_TYPE } from './gguf-types.ts';
import type { MetadataBuilder } from './metadata-builder.ts';
import { detectPreTokenizer } from './tokenizer-pre.ts';

type Json = Record<string, unknown>;

export interface HfTokenizerFiles {
  readonly tokenizer: Json;
  readonly tokenizerConfig: Json | null;
  /** config.json: `{bos,eos,...}_token_id` fill in ids the tokenizer files do not name. */
  readonly config: Json;
  /** chat_template.jinja (or chat_template.json's template), used when tokenizer_config has none. */
  readonly chatTemplateFile: string | null;
  /** config.json vocab_size: ids without a token become `[PAD<id>]` (UNUSED). */
  readonly vocabSize: number;
}

const SPECIAL_TYPES = ['bos', 'eos', 'unk', 'sep', 'pad', 'cls', 'mask'] as const;
/** gguf-py's key names (`seperator` is spelt that way in the format). */
const SPECIAL_KEYS: Record<(typeof SPECIAL_TYPES)[number], string> = {
  bos: 'bos_token_id',
  eos: 'eos_token_id',
  unk: 'unknown_token_id',
  sep: 'seperator_token_id',
  pad: 'padding_token_id',
  cls: 'cls_token_id',
  mask: 'mask_token_id',
};

export function addTokenizerMetadata(out: MetadataBuilder, files: HfTokenizerFiles): void {
  const { tokenizer, vocabSize } = files;
  const model = tokenizer.model as Json | undefined;
  if (
    model?.type !== 'BPE' ||
    model.byte_fallback === true ||
    (tokenizer.decoder as Json | null)?.type !== 'ByteLevel'
  ) {
    throw new ModelFormatError(
      'Only byte-level BPE tokenizers (GGUF tokenizer.ggml.model gpt2) are supported, not ' +
        `${String(model?.type)} with decoder ${String((tokenizer.decoder as Json | null)?.type)}`,
    );
  }
  const pre = detectPreTokenizer(tokenizer);
  const added = addedTokens(tokenizer);
  const idToToken = new Map<number, string>();
  for (const [token, id] of Object.entries((model.vocab ?? {}) as Record<string, number>))
    idToToken.set(id, token);
  for (const [id, token] of added) idToToken.set(id, token.content);

  const tokens: string[] = [];
  const types: number[] = [];
  for (let id = 0; id < vocabSize; id++) {
    const token = idToToken.get(id);
    const info = added.get(id);
    if (token === undefined) {
      tokens.push(`[PAD${id}]`);
      types.push(TOKEN_TYPE.UNUSED);
    } else {
      tokens.push(token);
      if (!info) types.push(TOKEN_TYPE.NORMAL);
      else types.push(info.special || looksSpecial(token) ? TOKEN_TYPE.CONTROL : TOKEN_TYPE.USER_DEFINED);
    }
  }
  let largest = -1;
  for (const id of idToToken.keys()) largest = Math.max(largest, id);
  if (largest >= vocabSize) {
    throw new ModelFormatError(`tokenizer id ${largest} does not fit config.json vocab_size ${vocabSize}`);
  }

  out
    .string('tokenizer.ggml.model', 'gpt2')
    .string('tokenizer.ggml.pre', pre)
    .strings('tokenizer.ggml.tokens', tokens)
    .i32s('tokenizer.ggml.token_type', types)
    .strings('tokenizer.ggml.merges', merges(model.merges));
  addSpecialTokens(out, files, added, vocabSize);
  addChatTemplate(out, files.tokenizerConfig?.chat_template ?? files.chatTemplateFile);
}

interface AddedToken {
  readonly content: string;
  readonly special: boolean;
}

function addedTokens(tokenizer: Json): Map<number, AddedToken> {
  const added = new Map<number, AddedToken>();
  for (const entry of Array.isArray(tokenizer.added_tokens) ? (tokenizer.added_tokens as Json[]) : []) {
    if (typeof entry.id === 'number' && typeof entry.content === 'string') {
      added.set(entry.id, { content: entry.content, special: entry.special === true });
    }
  }
  return added;
}

/** convert_hf_to_gguf.py's `does_token_look_special`. */
function looksSpecial(token: string): boolean {
  return (
    ['<pad>', '<mask>', '<2mass>', '[@BOS@]'].includes(token) ||
    (token.startsWith('<|') && token.endsWith('|>')) ||
    (token.startsWith('<\uff5c') && token.endsWith('\uff5c>')) ||
    (token.startsWith('<unused') && token.endsWith('>'))
  );
}

/** Merges as "a b" strings; pair-form merges encode spaces inside a part as U+0120, as gguf-py does. */
function merges(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((merge: unknown) => {
    if (typeof merge === 'string') return merge;
    if (Array.isArray(merge) && merge.length === 2 && merge.every((part) => typeof part === 'string')) {
      return merge.map((part: string) => part.replaceAll(' ', '\u0120')).join(' ');
    }
    throw new ModelFormatError(`tokenizer.json: unknown merge format ${JSON.stringify(merge)}`);
  });
}

/** gguf-py SpecialVocab: ids from tokenizer_config's `*_token` contents, then config.json's `*_token_id`. */
function addSpecialTokens(
  out: MetadataBuilder,
  files: HfTokenizerFiles,
  added: Map<number, AddedToken>,
  vocabSize: number,
): void {
  const config = { ...(files.tokenizerConfig ?? {}) };
  const content = (key: string): string | null => {
    const value = config[key];
    if (typeof value === 'string') return value;
    const inner = (value as Json | null | undefined)?.content;
    return typeof inner === 'string' ? inner : null;
  };
  if (!content('bos_token') && content('cls_token')) config.bos_token = content('cls_token');
  if (!content('eos_token') && content('sep_token')) config.eos_token = content('sep_token');

  const addFlags = new Map<string, boolean>();
  const processors = postProcessors(files.tokenizer.post_processor);
  for (const processor of processors) {
    if (processor.type !== 'TemplateProcessing' || !Array.isArray(processor.single)) continue;
    const single = processor.single as Json[];
    if (single.length < 2) continue;
    const first = (single[0].SpecialToken as Json | undefined)?.id;
    const last = (single[single.length - 1].SpecialToken as Json | undefined)?.id;
    if (typeof first === 'string')
      addFlags.set('bos', first === content('bos_token') || first === content('cls_token'));
    if (typeof last === 'string') addFlags.set('eos', last === content('eos_token'));
  }
  for (const typ of ['bos', 'eos', 'sep']) {
    const flag = config[`add_${typ}_token`];
    if (typeof flag === 'boolean') addFlags.set(typ, flag);
  }
  // LlamaModel.set_vocab: "granite small models" (and SmolLM/SmolLM2, vocab 49152) never add BOS.
  if (files.config.model_type === 'llama' && vocabSize === 49152) addFlags.set('bos', false);

  const ids = new Map<string, number>();
  for (const typ of SPECIAL_TYPES) {
    const text = content(`${typ}_token`);
    const id = text === null ? undefined : [...added].find(([, token]) => token.content === text)?.[0];
    if (id !== undefined) ids.set(typ, id);
  }
  for (const typ of SPECIAL_TYPES) {
    const id = files.config[`${typ}_token_id`];
    if (!ids.has(typ) && Number.isSafeInteger(id) && (id as number) >= 0 && (id as number) < vocabSize) {
      ids.set(typ, id as number);
    }
  }
  for (const [typ, id] of ids)
    out.u32(`tokenizer.ggml.${SPECIAL_KEYS[typ as keyof typeof SPECIAL_KEYS]}`, id);
  for (const [typ, flag] of addFlags) out.bool(`tokenizer.ggml.add_${typ}_token`, flag);
}

function postProcessors(processor: unknown): Json[] {
  if (typeof processor !== 'object' || processor === null) return [];
  const json = processor as Json;
  return Array.isArray(json.processors) ? (json.processors as Json[]) : [json];
}

/** A string template, or a list of `{name, template}` (default + named variants). */
function addChatTemplate(out: MetadataBuilder, template: unknown): void {
  if (typeof template === 'string') {
    out.string('tokenizer.chat_template', template);
    return;
  }
  if (!Array.isArray(template)) return;
  const names: string[] = [];
  for (const entry of template as Json[]) {
    if (typeof entry.name !== 'string' || typeof entry.template !== 'string') continue;
    if (entry.name === 'default') out.string('tokenizer.chat_template', entry.template);
    else {
      names.push(entry.name);
      out.string(`tokenizer.chat_template.${entry.name}`, entry.template);
    }
  }
  if (names.length > 0) out.strings('tokenizer.chat_templates', names);
}
