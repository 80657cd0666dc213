/**
 * What this package uses of @cinder/gguf, in one place: writing a safetensors model as GGUF, and
 * reading a GGUF as a Hugging Face-layout model.
 */
export { type GgufFileType, ggufModelSource, writeGguf } from '@cinder/gguf';
