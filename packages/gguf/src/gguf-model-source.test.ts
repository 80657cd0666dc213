import { type ModelSource, parseLlamaConfig, readJson } from '@cinder/model-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyChatTemplate, loadTokenizer, type TextTokenizer } from '../../engine/src/text/index.ts';
import { encodeGgufHeader } from './gguf-header-writer.ts';
import { ggufModelSource } from './gguf-model-source.ts';
import { MetadataBuilder } from './metadata-builder.ts';
import { dirSource, FIXTURES, fixtureDirs, ggufBytes, ggufMemorySource } from './test-support.ts';

type Json = Record<string, unknown>;

const TEXTS = [
  'Hello world! The quick brown fox jumps over the lazy dog.',
  "I'm sure they'll say it's fine, we've done it, don't you think?",
  'Numbers: 1 12 123 1234 12345 3.14159 -42 1e10 2024-06-01',
  '  leading spaces\n\n\ttabs\r\nand   trailing   ',
  'Ünïcödé: café naïve façade, 日本語のテキスト, 中文字符, Ελληνικά, Русский текст, emoji 🦙🔥👍🏽',
  'e\u0301 (combining) vs \u00e9 (precomposed), Hangul \u1100\u1161',
  'code: for (let i = 0; i < n; i++) { sum += a[i] * b[i]; } // done',
  '<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n',
  '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>',
  '<think>\nreasoning\n</think>\n\nanswer <tool_call>{"a": 1}</tool_call>',
];

const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'What is 17 × 23? Answer in 日本語 too.' },
  { role: 'assistant', content: '391 (三百九十一).' },
  { role: 'user', content: "And 12345 + 678? Don't show work." },
];

/** EOS ids the engine stops on (generation_config + config + tokenizer): what the GGUF keeps. */
const EXPECTED_EOS: Record<string, number[]> = {
  'tiny-llama': [128001, 128009], // 128008 is <|reserved_special_token_4|> in this Llama 3 vocabulary
  'tiny-qwen3': [151643, 151645],
  'tiny-qwen2': [0, 2],
  'tiny-smollm2': [0, 2], // llama.cpp also ends generation at <|endoftext|>
};

interface Loaded {
  config: Json;
  tokenizerConfig: Json;
  generationConfig: Json;
  tokenizer: TextTokenizer;
}

async function load(source: ModelSource): Promise<Loaded> {
  const [config, tokenizerJson, tokenizerConfig, generationConfig] = await Promise.all(
    ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'generation_config.json'].map((name) =>
      readJson<Json>(source, name),
    ),
  );
  return {
    config: config!,
    tokenizerConfig: tokenizerConfig!,
    generationConfig: generationConfig!,
    tokenizer: loadTokenizer(tokenizerJson!, tokenizerConfig!),
  };
}

function engineEos(model: Loaded): number[] {
  const ids = (value: unknown) => (Array.isArray(value) ? value : typeof value === 'number' ? [value] : []);
  const all = [...ids(model.generationConfig.eos_token_id), ...ids(model.config.eos_token_id)];
  return [...new Set([...all, ...model.tokenizer.eosTokenIds])].sort((a, b) => a - b);
}

let dirs: Map<string, string>;
beforeAll(async () => {
  dirs = await fixtureDirs();
});

describe.each(FIXTURES)('ggufModelSource(%s)', (name) => {
  let original: Loaded;
  let gguf: Loaded;
  let source: ModelSource;
  beforeAll(async () => {
    const dir = dirSource(dirs.get(name)!, name);
    original = await load(dir);
    source = ggufModelSource(
      ggufMemorySource(name, 'model.q8_0.gguf', await ggufBytes(dir, 'q8_0')),
      'model.q8_0.gguf',
    );
    gguf = await load(source);
  });

  it('encodes text to the ids of the original tokenizer.json, and decodes them back', () => {
    for (const text of TEXTS) {
      const ids = original.tokenizer.encode(text);
      expect(gguf.tokenizer.encode(text), text).toEqual(ids);
      expect(gguf.tokenizer.encode(text, { addSpecialTokens: true }), text).toEqual(
        original.tokenizer.encode(text, { addSpecialTokens: true }),
      );
      expect(gguf.tokenizer.decode(ids)).toBe(original.tokenizer.decode(ids));
    }
    expect(gguf.tokenizer.vocabSize).toBe(original.tokenizer.vocabSize);
  });

  it('renders the chat template to the same prompt and ids', () => {
    const input = { messages: MESSAGES, addGenerationPrompt: true };
    const prompt = applyChatTemplate(original.tokenizerConfig, input);
    expect(applyChatTemplate(gguf.tokenizerConfig, input)).toBe(prompt);
    expect(gguf.tokenizer.encode(prompt)).toEqual(original.tokenizer.encode(prompt));
  });

  it('keeps special tokens, BOS and the end-of-generation ids', () => {
    for (const id of original.tokenizer.specialTokenIds)
      expect(gguf.tokenizer.isSpecial(id), String(id)).toBe(true);
    // Extra specials are only tokens that look special (`<|...|>`), as llama.cpp's CONTROL type.
    for (const id of gguf.tokenizer.specialTokenIds) {
      if (!original.tokenizer.isSpecial(id)) expect(gguf.tokenizer.tokenString(id)).toMatch(/^<\|.*\|>$/);
    }
    expect(gguf.tokenizer.eosTokenId).toBe(original.tokenizer.eosTokenId);
    expect(gguf.config.bos_token_id).toBe(original.config.bos_token_id);
    expect(engineEos(gguf)).toEqual(EXPECTED_EOS[name]);
  });

  it('synthesizes a config.json equal on the fields runtimes use', () => {
    const { ropeScaling, torchDtype, eosTokenIds, slidingWindow, outputBias, ...wanted } = parseLlamaConfig(
      original.config,
    );
    const synthesized = parseLlamaConfig(gguf.config);
    expect(synthesized).toMatchObject(wanted);
    expect(synthesized.ropeScaling).toBeNull(); // llama3 factors live in rope_freqs.weight only
    expect(gguf.config.gguf_file).toBe('model.q8_0.gguf');
  });

  it('passes the GGUF through and answers null for other files', async () => {
    const part = await source.file('model.q8_0.gguf', { range: [0, 4] });
    expect(new TextDecoder().decode(await part!.arrayBuffer())).toBe('GGUF');
    expect(await source.file('model.safetensors')).toBeNull();
    expect(await source.file('chat_template.json')).toBeNull();
  });
});

describe('ggufModelSource errors', () => {
  const ggufWith = (entries: (out: MetadataBuilder) => void) => {
    const metadata = new MetadataBuilder();
    entries(metadata);
    const { bytes } = encodeGgufHeader(metadata.entries, []);
    return ggufModelSource(ggufMemorySource('m', 'm.gguf', bytes), 'm.gguf');
  };

  it('names an unsupported tokenizer model', async () => {
    const source = ggufWith((out) =>
      out
        .string('general.architecture', 'llama')
        .string('tokenizer.ggml.model', 'llama')
        .strings('tokenizer.ggml.tokens', ['<s>']),
    );
    await expect(source.file('tokenizer.json')).rejects.toThrow(
      /tokenizer model llama \(SentencePiece\) is not supported/,
    );
  });

  it('names an unsupported pre-tokenizer and architecture', async () => {
    const pre = ggufWith((out) =>
      out
        .string('general.architecture', 'llama')
        .string('tokenizer.ggml.model', 'gpt2')
        .string('tokenizer.ggml.pre', 'deepseek-llm')
        .strings('tokenizer.ggml.tokens', ['a']),
    );
    await expect(pre.file('config.json')).rejects.toThrow(/pre-tokenizer deepseek-llm is not supported/);
    const arch = ggufWith((out) =>
      out
        .string('general.architecture', 'gemma2')
        .string('tokenizer.ggml.model', 'gpt2')
        .strings('tokenizer.ggml.tokens', ['a']),
    );
    await expect(arch.file('config.json')).rejects.toThrow(/architecture gemma2 is not supported/);
  });
});
