/**
 * Hugging Face Llama-family checkpoint (safetensors + config.json + tokenizer files) -> GGUF v3,
 * as llama.cpp's convert_hf_to_gguf.py writes it. The file comes out as a sequence of parts:
 * the header, then one part per tensor (with its alignment padding), so no more than one tensor
 * is in memory at a time. In a browser: `new Blob(await Array.fromAsync(writeGguf(...)))`.
 */
import {
  ModelFormatError,
  type ModelSource,
  openSafetensors,
  parseLlamaConfig,
  readJson,
} from '@cinder/model-format';
import { encodeTensor } from './encode-tensor.ts';
import { alignmentOf, encodeGgufHeader } from './gguf-header-writer.ts';
import { alignTo, type GgufFileType, type GgufKv, ggmlByteLength } from './gguf-types.ts';
import { addArchMetadata, addGeneralMetadata, GGUF_ARCHITECTURES } from './hf-arch-metadata.ts';
import { type PlannedTensor, planTensors } from './hf-tensor-plan.ts';
import { addTokenizerMetadata } from './hf-tokenizer-metadata.ts';
import { MetadataBuilder } from './metadata-builder.ts';

export interface WriteGgufOptions {
  /** Type of the 2-D weights: f32, f16, q8_0 or q4_0 (norms, biases and rope factors stay F32). */
  readonly type: GgufFileType;
  /** `general.name`; the source id by default. */
  readonly name?: string;
  readonly signal?: AbortSignal;
}

export interface GgufPlan {
  readonly metadata: ReadonlyMap<string, GgufKv>;
  readonly tensors: readonly PlannedTensor[];
  readonly header: Uint8Array;
  /** Size of the whole file. */
  readonly byteLength: number;
  /** Header, then each tensor padded to the alignment. */
  parts(): AsyncIterable<Uint8Array>;
}

type Json = Record<string, unknown>;

/** Reads config, tokenizer and tensor headers, and lays the file out (no tensor data read yet). */
export async function planGguf(source: ModelSource, options: WriteGgufOptions): Promise<GgufPlan> {
  const { signal } = options;
  const raw = await readJson<Json>(source, 'config.json');
  if (!raw) throw new ModelFormatError(`Model ${source.id} has no config.json`);
  const config = parseLlamaConfig(raw);
  const arch = GGUF_ARCHITECTURES[config.architecture];
  const [store, tokenizer, tokenizerConfig, chatTemplateFile] = await Promise.all([
    openSafetensors(source, { signal }),
    readJson<Json>(source, 'tokenizer.json'),
    readJson<Json>(source, 'tokenizer_config.json'),
    readChatTemplateFile(source),
  ]);
  if (!tokenizer) throw new ModelFormatError(`Model ${source.id} has no tokenizer.json`);

  const metadata = new MetadataBuilder();
  addGeneralMetadata(metadata, arch, options.name ?? source.id, options.type);
  addArchMetadata(metadata, arch, config, raw);
  addTokenizerMetadata(metadata, {
    tokenizer,
    tokenizerConfig,
    config: raw,
    chatTemplateFile,
    vocabSize: config.vocabSize,
  });

  const tensors = planTensors(source, store, config, arch, options.type);
  const layouts = tensors.map((t) => ({
    ...t,
    byteLength: ggmlByteLength(
      t.type,
      t.dims.reduce((a, b) => a * b, 1),
    ),
  }));
  const { bytes: header, fileBytes } = encodeGgufHeader(metadata.entries, layouts);
  const alignment = alignmentOf(metadata.entries);

  async function* parts(): AsyncGenerator<Uint8Array> {
    yield header;
    for (const tensor of layouts) {
      let written = 0;
      for await (const chunk of tensor.chunks(signal)) {
        const data = encodeTensor(tensor.type, chunk);
        written += data.length;
        yield data;
      }
      if (written !== tensor.byteLength) {
        throw new Error(`GGUF writer: ${tensor.name} encoded to ${written} bytes, not ${tensor.byteLength}`);
      }
      const padding = alignTo(written, alignment) - written;
      if (padding > 0) yield new Uint8Array(padding);
    }
  }
  return { metadata: metadata.entries, tensors, header, byteLength: fileBytes, parts };
}

/** The GGUF file of a Hugging Face model, part by part. */
export async function* writeGguf(source: ModelSource, options: WriteGgufOptions): AsyncGenerator<Uint8Array> {
  const plan = await planGguf(source, options);
  yield* plan.parts();
}

async function readChatTemplateFile(source: ModelSource): Promise<string | null> {
  const jinja = await source.file('chat_template.jinja');
  if (jinja) return jinja.text();
  const json = await readJson<Json>(source, 'chat_template.json');
  return typeof json?.chat_template === 'string' ? json.chat_template : null;
}

/** The GGUF file as a web ReadableStream (e.g. `new Response(stream)` or Cache Storage). */
export function writeGgufStream(source: ModelSource, options: WriteGgufOptions): ReadableStream<Uint8Array> {
  const parts = writeGguf(source, options);
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { value, done } = await parts.next();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    async cancel() {
      await parts.return(undefined);
    },
  });
}
