export { ModelFormatError } from './errors.ts';
export {
  bf16BitsToF32,
  decodeBf16,
  decodeF16,
  decodeF32,
  encodeBf16,
  encodeF16,
  encodeF32,
  f16BitsToF32,
  f32ToBf16Bits,
  f32ToF16Bits,
} from './half-float.ts';
export {
  type LlamaFamilyArchitecture,
  type LlamaFamilyConfig,
  parseLlamaConfig,
  type RopeScaling,
  readLlamaConfig,
  SUPPORTED_ARCHITECTURES,
} from './llama-config.ts';
export { memoryModelSource } from './memory-source.ts';
export { type ModelSource, readBytes, readJson, urlModelSource } from './model-source.ts';
export { readRange } from './read-range.ts';
export { ropeInvFreq } from './rope-frequencies.ts';
export {
  INDEX_FILE,
  openSafetensors,
  type ReadOptions,
  SINGLE_FILE,
  type TensorStore,
} from './safetensors.ts';
export {
  DTYPE_BYTES,
  parseSafetensorsHeader,
  readSafetensorsHeader,
  type SafetensorsHeader,
  type TensorInfo,
} from './safetensors-header.ts';
export { type TensorToWrite, type WritableDtype, writeSafetensors } from './safetensors-write.ts';
