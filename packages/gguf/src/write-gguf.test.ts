import {
  f16BitsToF32,
  f32ToF16Bits,
  openSafetensors,
  readLlamaConfig,
  ropeInvFreq,
} from '@cinder/model-format';
import { beforeAll, describe, expect, it } from 'vitest';
import { permuteQk, unpermuteQk } from './llama-permute.ts';
import { ggufNumber, ggufString, ggufStrings } from './metadata-values.ts';
import { type GgufHeader, readGgufHeader } from './read-header.ts';
import { readGgufTensor, readGgufTensorBytes } from './read-tensor.ts';
import { hfTensorName } from './tensor-names.ts';
import { dirSource, FIXTURES, fixtureDirs, ggufBytes } from './test-support.ts';

let dirs: Map<string, string>;
beforeAll(async () => {
  dirs = await fixtureDirs();
});

const EXPECTED = {
  'tiny-llama': { arch: 'llama', pre: 'llama-bpe', tensors: 1 + 2 + 3 * 9 + 1 },
  'tiny-qwen3': { arch: 'qwen3', pre: 'qwen2', tensors: 2 + 3 * 11 },
  'tiny-qwen2': { arch: 'qwen2', pre: 'qwen2', tensors: 3 + 4 * 12 },
  'tiny-smollm2': { arch: 'llama', pre: 'smollm', tensors: 2 + 8 * 9 },
} as const;

describe.each(FIXTURES)('writeGguf(%s)', (name) => {
  const expected = EXPECTED[name];

  it('writes the architecture and tokenizer metadata convert_hf_to_gguf.py writes', async () => {
    const source = dirSource(dirs.get(name)!, name);
    const config = await readLlamaConfig(source);
    const bytes = await ggufBytes(source, 'f32');
    const header = await readGgufHeader(bytes);
    const arch = expected.arch;
    expect(header.version).toBe(3);
    expect(header.alignment).toBe(32);
    expect(header.dataOffset % 32).toBe(0);
    expect(ggufString(header, 'general.architecture')).toBe(arch);
    expect(ggufNumber(header, 'general.file_type')).toBe(0);
    expect(ggufNumber(header, `${arch}.block_count`)).toBe(config.numLayers);
    expect(ggufNumber(header, `${arch}.context_length`)).toBe(config.maxPositionEmbeddings);
    expect(ggufNumber(header, `${arch}.embedding_length`)).toBe(config.hiddenSize);
    expect(ggufNumber(header, `${arch}.feed_forward_length`)).toBe(config.intermediateSize);
    expect(ggufNumber(header, `${arch}.attention.head_count`)).toBe(config.numHeads);
    expect(ggufNumber(header, `${arch}.attention.head_count_kv`)).toBe(config.numKvHeads);
    expect(ggufNumber(header, `${arch}.attention.layer_norm_rms_epsilon`)).toBe(
      Math.fround(config.rmsNormEps),
    );
    expect(ggufNumber(header, `${arch}.rope.freq_base`)).toBe(config.ropeTheta);
    if (name !== 'tiny-smollm2' && name !== 'tiny-qwen2') {
      expect(ggufNumber(header, `${arch}.attention.key_length`)).toBe(config.headDim);
    }
    if (arch === 'llama') {
      expect(ggufNumber(header, 'llama.vocab_size')).toBe(config.vocabSize);
      expect(ggufNumber(header, 'llama.rope.dimension_count')).toBe(config.headDim);
    }
    expect(ggufString(header, 'tokenizer.ggml.model')).toBe('gpt2');
    expect(ggufString(header, 'tokenizer.ggml.pre')).toBe(expected.pre);
    expect(ggufStrings(header, 'tokenizer.ggml.tokens')).toHaveLength(config.vocabSize);
    expect(header.tensors).toHaveLength(expected.tensors);
    expect(header.tensors.some((t) => t.name === 'output.weight')).toBe(!config.tieWordEmbeddings);
    for (const tensor of header.tensors) expect((tensor.offset - header.dataOffset) % 32).toBe(0);
  });

  it.each(['f32', 'f16', 'q8_0', 'q4_0'] as const)(
    'stores tensors that read back to the originals (%s)',
    async (type) => {
      const source = dirSource(dirs.get(name)!, name);
      const config = await readLlamaConfig(source);
      const store = await openSafetensors(source);
      const bytes = await ggufBytes(source, type);
      const header = await readGgufHeader(bytes);
      expect(bytes.length).toBe(lastByte(header));
      for (const tensor of header.tensors) {
        const values = await readGgufTensor(bytes, header, tensor.name);
        if (tensor.name === 'rope_freqs.weight') {
          checkRopeFactors(values, config);
          continue;
        }
        const hfName = hfTensorName(tensor.name)!;
        const shape = store.info(hfName).shape;
        expect([...tensor.dims].reverse()).toEqual(shape);
        let original = await store.readF32(hfName);
        if (expected.arch === 'llama' && /attn_[qk]\./.test(tensor.name)) {
          // llama.cpp's row order: unpermuting gives the Hugging Face rows back.
          const heads = tensor.name.includes('attn_q') ? config.numHeads : config.numKvHeads;
          if (type === 'f32') expect(firstMismatch(unpermuteQk(values, shape[0], heads), original)).toBe(-1);
          original = permuteQk(original, shape[0], heads);
          expect(firstMismatch(unpermuteQk(original, shape[0], heads), await store.readF32(hfName))).toBe(-1);
        }
        const is2d = shape.length === 2 && !tensor.name.endsWith('_norm.weight');
        const quantized = type === 'q8_0' ? 'Q8_0' : 'Q4_0';
        const wanted =
          type === 'f32' || !is2d ? 'F32' : type === 'f16' || shape[1] % 32 !== 0 ? 'F16' : quantized;
        expect(tensor.type, tensor.name).toBe(wanted);
        if (wanted === 'F32') expect(firstMismatch(values, original), tensor.name).toBe(-1);
        if (wanted === 'F16') {
          const rounded = original.map((x) => f16BitsToF32(f32ToF16Bits(x)));
          expect(firstMismatch(values, rounded), tensor.name).toBe(-1);
        }
        if (wanted === 'Q8_0') await checkQuantized(bytes, header, tensor.name, values, original, 'Q8_0');
        if (wanted === 'Q4_0') await checkQuantized(bytes, header, tensor.name, values, original, 'Q4_0');
      }
    },
  );
});

function lastByte(header: GgufHeader): number {
  return Math.max(...header.tensors.map((t) => t.offset + Math.ceil(t.byteLength! / 32) * 32));
}

function firstMismatch(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return a.length;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}

/**
 * Each value within half a quantization step `d` of the original (Q8_0), or one step (Q4_0, whose
 * codes reach only +7 on the side opposite the block's extreme). `d` is stored as f16, whose
 * rounding (at most 2^-11 relative) moves a code of up to 127 (Q8_0) or 8 (Q4_0) a little more.
 */
async function checkQuantized(
  bytes: Uint8Array,
  header: GgufHeader,
  name: string,
  values: Float32Array,
  original: Float32Array,
  type: 'Q8_0' | 'Q4_0',
) {
  const [blockBytes, steps] = type === 'Q8_0' ? [34, 0.5 + 127 * 2 ** -11] : [18, 1 + 8 * 2 ** -11];
  const raw = await readGgufTensorBytes(bytes, header, name);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let worst = 0; // error / allowed
  for (let b = 0; b < original.length / 32; b++) {
    const allowed = Math.abs(f16BitsToF32(view.getUint16(b * blockBytes, true))) * steps + 1e-30;
    for (let i = b * 32; i < (b + 1) * 32; i++) {
      worst = Math.max(worst, Math.abs(values[i] - original[i]) / allowed);
    }
  }
  expect(worst, name).toBeLessThanOrEqual(1);
}

/** llama.cpp divides each base frequency by its factor: that must give transformers' llama3 frequencies. */
function checkRopeFactors(factors: Float32Array, config: Awaited<ReturnType<typeof readLlamaConfig>>) {
  const base = ropeInvFreq(config.headDim, config.ropeTheta, null);
  const scaled = ropeInvFreq(config.headDim, config.ropeTheta, config.ropeScaling);
  expect(factors).toHaveLength(config.headDim / 2);
  for (let i = 0; i < factors.length; i++) expect(base[i] / factors[i]).toBeCloseTo(scaled[i], 6);
  expect(new Set(factors).size).toBeGreaterThan(2); // high, blended and low frequencies all present
}
