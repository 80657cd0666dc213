/**
 * @cinder/gguf: GGUF v3 files in web-standard TypeScript. Write one from a Hugging Face
 * Llama-family model as llama.cpp's convert_hf_to_gguf.py would, read headers and tensors, and
 * present a GGUF model as a Hugging Face layout (config + tokenizer files) for the engine.
 */
export { type ByteInput, byteInput, type GgufInput, type SourceFile } from './byte-input.ts';
export { dequantize } from './dequantize.ts';
export { encodeTensor } from './encode-tensor.ts';
export { ggufConfigJson, ggufGenerationConfigJson } from './gguf-config-json.ts';
export {
  encodeGgufHeader,
  encodeGgufHeaderAt,
  type GgufTensorAt,
  type GgufTensorLayout,
} from './gguf-header-writer.ts';
export { GGUF_FILE_KEY, ggufModelSource, SYNTHESIZED_FILES } from './gguf-model-source.ts';
export { type GgufTokenizerFiles, ggufTokenizerFiles } from './gguf-tokenizer-files.ts';
export {
  GGML_OTHER_TYPES,
  GGML_TYPES,
  GGUF_FILE_TYPES,
  type GgmlTypeName,
  type GgufFileType,
  type GgufKv,
  type GgufScalar,
  type GgufValue,
  type GgufValueType,
  ggmlTypeLayout,
  TOKEN_TYPE,
} from './gguf-types.ts';
export { GGUF_ARCHITECTURES, type GgufArchitecture } from './hf-arch-metadata.ts';
export { permuteQk, unpermuteQk } from './llama-permute.ts';
export { llama3RopeFactors } from './llama3-rope-factors.ts';
export { ggufBool, ggufNumber, ggufNumbers, ggufString, ggufStrings, ggufValue } from './metadata-values.ts';
export { quantizeQ4_0, quantizeQ8_0 } from './quantize.ts';
export { type GgufHeader, type GgufTensorInfo, readGgufHeader } from './read-header.ts';
export { ggufTensorInfo, readGgufTensor, readGgufTensorBytes } from './read-tensor.ts';
export { ggufTensorName, hfTensorName } from './tensor-names.ts';
export { PRE_TOKENIZER_TYPES, type PreTokenizerType } from './tokenizer-pre.ts';
export { type GgufPlan, planGguf, type WriteGgufOptions, writeGguf, writeGgufStream } from './write-gguf.ts';
