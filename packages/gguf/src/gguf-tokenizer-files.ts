/**
 * tokenizer.json, tokenizer_config.json and the end-of-generation ids of a GGUF's byte-level BPE
 * vocabulary (`tokenizer.ggml.model = gpt2`), so the engine's Hugging Face tokenizer and chat
 * template code load a GGUF model unchanged. CONTROL tokens become special added tokens,
 * USER_DEFINED ones non-special added tokens (Qwen's `<think>`), UNUSED `[PAD<id>]` fillers are
 * left out.
 */
import { ModelFormatError } from '@cinder/model-format';
import { TOKEN_TYPE } from './gguf-types.ts';
import { ggufBool, ggufNumber, ggufNumbers, ggufString, ggufStrings } from './metadata-values.ts';
import type { GgufHeader } from './read-header.ts';
import { PRE_TOKENIZER_TYPES, type PreTokenizerType, preTokenizerJson } from './tokenizer-pre.ts';

type Json = Record<string, unknown>;

export interface GgufTokenizerFiles {
  readonly tokenizer: Json;
  readonly tokenizerConfig: Json;
  readonly bosTokenId: number | null;
  readonly eosTokenId: number | null;
  /** EOS, EOT/EOM and the tokens llama.cpp treats as end of generation by their text. */
  readonly endOfGenerationIds: readonly number[];
}

/** Token texts llama.cpp's vocabulary loader marks as end-of-generation (`special_eog_ids`). */
const EOG_TEXTS = new Set([
  '<|eot_id|>',
  '<|im_end|>',
  '<|end|>',
  '<end_of_turn>',
  '<|endoftext|>',
  '<|eom_id|>',
  '<EOT>',
  '_<EOT>',
  '<|end_of_text|>',
]);

const PRE_ALIASES: Readonly<Record<string, PreTokenizerType>> = { llama3: 'llama-bpe', gpt2: 'gpt-2' };

export function ggufTokenizerFiles(header: GgufHeader): GgufTokenizerFiles {
  const model = ggufString(header, 'tokenizer.ggml.model');
  if (model !== 'gpt2') {
    const what = model === 'llama' ? 'llama (SentencePiece)' : String(model);
    throw new ModelFormatError(
      `GGUF tokenizer model ${what} is not supported; only gpt2 (byte-level BPE) vocabularies are`,
    );
  }
  const preName = ggufString(header, 'tokenizer.ggml.pre') ?? 'default';
  const pre =
    PRE_ALIASES[preName] ?? (PRE_TOKENIZER_TYPES.includes(preName as PreTokenizerType) ? preName : null);
  if (pre === null) {
    throw new ModelFormatError(
      `GGUF pre-tokenizer ${preName} is not supported; supported: ${PRE_TOKENIZER_TYPES.join(', ')}`,
    );
  }
  const tokens = ggufStrings(header, 'tokenizer.ggml.tokens') ?? [];
  const types = ggufNumbers(header, 'tokenizer.ggml.token_type') ?? [];
  const merges = ggufStrings(header, 'tokenizer.ggml.merges') ?? [];
  if (tokens.length === 0) throw new ModelFormatError('GGUF has no tokenizer.ggml.tokens');

  const vocab: Record<string, number> = {};
  const added: Json[] = [];
  const eog = new Set<number>();
  tokens.forEach((token, id) => {
    const type = types[id] ?? TOKEN_TYPE.NORMAL;
    if (type === TOKEN_TYPE.UNUSED) return;
    if (!Object.hasOwn(vocab, token)) vocab[token] = id;
    if (type === TOKEN_TYPE.CONTROL || type === TOKEN_TYPE.USER_DEFINED) {
      const special = type === TOKEN_TYPE.CONTROL;
      added.push({
        id,
        content: token,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special,
      });
      if (special && EOG_TEXTS.has(token)) eog.add(id);
    }
  });

  const id = (key: string): number | null => {
    const value = ggufNumber(header, `tokenizer.ggml.${key}`);
    return value !== undefined && value >= 0 && value < tokens.length ? value : null;
  };
  const text = (tokenId: number | null): string | null => (tokenId === null ? null : tokens[tokenId]);
  const bos = id('bos_token_id');
  const eos = id('eos_token_id');
  const addBos = ggufBool(header, 'tokenizer.ggml.add_bos_token') ?? false;
  const addEos = ggufBool(header, 'tokenizer.ggml.add_eos_token') ?? false;
  const endOfGeneration = [eos, id('eot_token_id'), id('eom_token_id'), ...eog].filter(
    (tokenId): tokenId is number => tokenId !== null,
  );

  const tokenizer: Json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    ...preTokenizerJson(pre as PreTokenizerType),
    post_processor: postProcessor(addBos ? text(bos) : null, addEos ? text(eos) : null, tokens),
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: pre === 'llama-bpe', // llama.cpp: LLAMA3 pre type ignores merges for whole-word tokens
      vocab,
      merges,
    },
  };
  const tokenizerConfig: Json = {
    add_bos_token: addBos,
    add_eos_token: addEos,
    added_tokens_decoder: Object.fromEntries(
      added.map(({ id: tokenId, ...rest }) => [String(tokenId), rest]),
    ),
    bos_token: text(bos),
    eos_token: text(eos),
    pad_token: text(id('padding_token_id')),
    unk_token: text(id('unknown_token_id')),
    clean_up_tokenization_spaces: false,
    model_max_length: contextLength(header),
    tokenizer_class: 'PreTrainedTokenizerFast',
  };
  const chatTemplate = ggufString(header, 'tokenizer.chat_template');
  if (chatTemplate !== undefined) tokenizerConfig.chat_template = chatTemplate;
  return {
    tokenizer,
    tokenizerConfig,
    bosTokenId: bos,
    eosTokenId: eos,
    endOfGenerationIds: [...new Set(endOfGeneration)],
  };
}

/** TemplateProcessing that adds BOS / EOS around a sequence, or a plain ByteLevel step. */
function postProcessor(bos: string | null, eos: string | null, tokens: readonly string[]): Json {
  if (bos === null && eos === null) {
    return { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false };
  }
  const special = (content: string, typeId: number) => ({ SpecialToken: { id: content, type_id: typeId } });
  const sequence = (name: string, typeId: number) => ({ Sequence: { id: name, type_id: typeId } });
  const around = (name: string, typeId: number) => [
    ...(bos === null ? [] : [special(bos, typeId)]),
    sequence(name, typeId),
    ...(eos === null ? [] : [special(eos, typeId)]),
  ];
  const specials = [bos, eos].filter((t): t is string => t !== null);
  return {
    type: 'TemplateProcessing',
    single: around('A', 0),
    pair: [...around('A', 0), ...around('B', 1)],
    special_tokens: Object.fromEntries(
      specials.map((content) => [
        content,
        { id: content, ids: [tokens.indexOf(content)], tokens: [content] },
      ]),
    ),
  };
}

function contextLength(header: GgufHeader): number | undefined {
  const arch = ggufString(header, 'general.architecture');
  return arch === undefined ? undefined : ggufNumber(header, `${arch}.context_length`);
}
