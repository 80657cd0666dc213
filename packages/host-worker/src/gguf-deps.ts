/**
 * What this package uses of @cinder/gguf, in one place: writing a safetensors model as GGUF, and
 * reading a GGUF as a Hugging Face-layout model.
 *
 * TODO(gguf): host-worker does not list @cinder/gguf as a dependency yet, so its files are imported
 * by path; with the dependency these become `from '@cinder/gguf'`.
 */
export { ggufModelSource } from '../../gguf/src/gguf-model-source.ts';
export type { GgufFileType } from '../../gguf/src/gguf-types.ts';
export { writeGguf } from '../../gguf/src/write-gguf.ts';
