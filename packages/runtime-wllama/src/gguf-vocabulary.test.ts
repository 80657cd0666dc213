import { encodeGgufHeader, type GgufKv, readGgufHeader } from '@cinder/gguf';
import { describe, expect, it } from 'vitest';
import { idVocabularyGguf } from './gguf-vocabulary.ts';
import { textToIds } from './token-text.ts';

/** A small GGUF with a BPE vocabulary and two F32 tensors whose bytes count up. */
function smallGguf(): Blob {
  const metadata = new Map<string, GgufKv>([
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['llama.context_length', { type: 'uint32', value: 512 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: ['a', 'b', 'ab', '<|end|>'] }],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', value: ['a b'] }],
    ['tokenizer.ggml.eos_token_id', { type: 'uint32', value: 3 }],
    ['tokenizer.ggml.padding_token_id', { type: 'uint32', value: 9 }],
    ['tokenizer.chat_template', { type: 'string', value: '{{ messages }}' }],
  ]);
  const tensors = [
    { name: 'token_embd.weight', dims: [8, 4], type: 'F32' as const, byteLength: 128 },
    { name: 'output_norm.weight', dims: [8], type: 'F32' as const, byteLength: 32 },
  ];
  const { bytes, offsets, fileBytes } = encodeGgufHeader(metadata, tensors);
  const file = new Uint8Array(fileBytes);
  file.set(bytes);
  for (let i = bytes.length; i < fileBytes; i++) file[i] = i % 251;
  expect(offsets).toEqual([0, 128]);
  return new Blob([file]);
}

describe('idVocabularyGguf', () => {
  it('replaces the tokenizer with one character per id and keeps the tensor data', async () => {
    const original = smallGguf();
    const { blob, vocabSize, header } = await idVocabularyGguf(original);
    expect(vocabSize).toBe(4);
    const rewritten = await readGgufHeader(blob);
    const value = (key: string) => rewritten.metadata.get(key)?.value;

    expect(value('general.architecture')).toBe('llama');
    expect(value('llama.context_length')).toBe(512);
    expect(value('tokenizer.ggml.model')).toBe('llama');
    const tokens = value('tokenizer.ggml.tokens') as string[];
    expect(textToIds(tokens.join(''))).toEqual([0, 1, 2, 3]);
    expect(value('tokenizer.ggml.token_type')).toEqual([1, 1, 1, 1]);
    expect(value('tokenizer.ggml.scores')).toEqual([0, 0, 0, 0]);
    expect(value('tokenizer.ggml.add_bos_token')).toBe(false);
    expect(value('tokenizer.ggml.add_space_prefix')).toBe(false);
    expect(value('tokenizer.ggml.eos_token_id')).toBe(3);
    // Gone: merges, the chat template, an id outside the vocabulary.
    expect(value('tokenizer.ggml.merges')).toBeUndefined();
    expect(value('tokenizer.chat_template')).toBeUndefined();
    expect(value('tokenizer.ggml.padding_token_id')).toBeUndefined();

    expect(rewritten.tensors.map((t) => [t.name, t.dims, t.typeId, t.offset - rewritten.dataOffset])).toEqual(
      [
        ['token_embd.weight', [8, 4], 0, 0],
        ['output_norm.weight', [8], 0, 128],
      ],
    );
    const data = async (file: Blob, from: number) => new Uint8Array(await file.slice(from).arrayBuffer());
    expect(await data(blob, rewritten.dataOffset)).toEqual(await data(original, header.dataOffset));
    expect(rewritten.dataOffset % 32).toBe(0);
  });

  it('takes the vocabulary size from token_embd when there is no tokenizer, at any header size', async () => {
    const rows = 40_000; // ~1 MB of tokens: the header writer grows many times
    const tensors = [
      { name: 'token_embd.weight', dims: [1, rows], type: 'F32' as const, byteLength: 4 * rows },
    ];
    const { bytes, fileBytes } = encodeGgufHeader(new Map(), tensors);
    const file = new Uint8Array(fileBytes);
    file.set(bytes);
    file[fileBytes - 1] = 7;
    const { blob, vocabSize } = await idVocabularyGguf(new Blob([file]));
    expect(vocabSize).toBe(rows);
    const rewritten = await readGgufHeader(blob);
    const tokens = rewritten.metadata.get('tokenizer.ggml.tokens')?.value as string[];
    expect(textToIds(tokens.join(''))).toEqual(Array.from({ length: rows }, (_, id) => id));
    expect(blob.size - rewritten.dataOffset).toBe(4 * rows);
    expect(new Uint8Array(await blob.slice(blob.size - 1).arrayBuffer())[0]).toBe(7);
  });
});
