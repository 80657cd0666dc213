/**
 * Gives a GGUF the id vocabulary llama-server needs to take token ids (token-text.ts): every
 * `tokenizer.*` key is replaced by a SentencePiece-type vocabulary (`tokenizer.ggml.model` =
 * `llama`) whose token `id` is the character U+10000 + id, all NORMAL, no BOS/EOS added, no space
 * prefix. The special ids that end generation (eos, eot, eom) and bos are kept. Only the header is
 * rewritten: the result is a Blob of the new header followed by a slice of the original file's
 * tensor data, so nothing is copied.
 *
 * The model's real tokenizer is the engine's business (tokenizer.json); llama.cpp never sees text.
 */
import { encodeGgufHeaderAt, type GgufHeader, type GgufKv, readGgufHeader } from '@cinder/gguf';
import { idsToText, MAX_VOCAB } from './token-text.ts';

export interface IdVocabularyGguf {
  /** The file to hand to wllama. */
  readonly blob: Blob;
  /** The original file's header. */
  readonly header: GgufHeader;
  /** Rows of the output layer: the vocabulary size. */
  readonly vocabSize: number;
}

/** Special ids copied from the original file when they name a token of it. */
const KEPT_SPECIAL_IDS = [
  'tokenizer.ggml.bos_token_id',
  'tokenizer.ggml.eos_token_id',
  'tokenizer.ggml.eot_token_id',
  'tokenizer.ggml.eom_token_id',
];

export async function idVocabularyGguf(file: Blob, signal?: AbortSignal): Promise<IdVocabularyGguf> {
  const header = await readGgufHeader(file, { signal });
  const vocabSize = vocabSizeOf(header);
  if (vocabSize > MAX_VOCAB) throw new RangeError(`A vocabulary of ${vocabSize} tokens is too large`);

  const metadata = new Map<string, GgufKv>();
  for (const [key, kv] of header.metadata) if (!key.startsWith('tokenizer.')) metadata.set(key, kv);
  const tokens = [...idsToText(Array.from({ length: vocabSize }, (_, id) => id))];
  metadata.set('tokenizer.ggml.model', { type: 'string', value: 'llama' });
  metadata.set('tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: tokens });
  metadata.set('tokenizer.ggml.scores', {
    type: 'array',
    itemType: 'float32',
    value: new Array<number>(vocabSize).fill(0),
  });
  metadata.set('tokenizer.ggml.token_type', {
    type: 'array',
    itemType: 'int32',
    value: new Array<number>(vocabSize).fill(1),
  });
  metadata.set('tokenizer.ggml.add_bos_token', { type: 'bool', value: false });
  metadata.set('tokenizer.ggml.add_eos_token', { type: 'bool', value: false });
  metadata.set('tokenizer.ggml.add_space_prefix', { type: 'bool', value: false });
  for (const key of KEPT_SPECIAL_IDS) {
    const value = header.metadata.get(key)?.value;
    if (typeof value === 'number' && value >= 0 && value < vocabSize) {
      metadata.set(key, { type: 'uint32', value });
    }
  }

  const tensors = header.tensors.map((tensor) => ({
    name: tensor.name,
    dims: tensor.dims,
    typeId: tensor.typeId,
    offset: tensor.offset - header.dataOffset,
  }));
  const bytes = encodeGgufHeaderAt(metadata, tensors, header.alignment);
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>, file.slice(header.dataOffset)]);
  return { blob, header, vocabSize };
}

/** Tokens of the original vocabulary, or else the rows of the token embedding. */
export function vocabSizeOf(header: GgufHeader): number {
  const tokens = header.metadata.get('tokenizer.ggml.tokens');
  if (tokens?.type === 'array') return tokens.value.length;
  const embedding = header.tensors.find((tensor) => tensor.name === 'token_embd.weight');
  if (embedding && embedding.dims.length === 2) return embedding.dims[1];
  throw new Error('The GGUF has neither tokenizer.ggml.tokens nor token_embd.weight');
}
