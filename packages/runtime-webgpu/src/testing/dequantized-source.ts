/**
 * The "dequantized reference" of a model for a storage dtype: every weight matrix replaced by the
 * exact float32 values the GPU sees after storing it as f16 / q8 / q4 (weights/encode.ts), so the
 * CPU runtime on this source computes what the WebGPU runtime should, up to summation order.
 */
import {
  type ModelSource,
  memoryModelSource,
  openSafetensors,
  readBytes,
  type TensorToWrite,
  writeSafetensors,
} from '@cinder/model-format';
import { decodeRows, encodeRows } from '../weights/encode.ts';
import type { WeightDtype } from '../weights/format.ts';

const OTHER_FILES = [
  'config.json',
  'generation_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
];

export async function dequantizedSource(source: ModelSource, dtype: WeightDtype): Promise<ModelSource> {
  const store = await openSafetensors(source);
  const tensors: Record<string, TensorToWrite> = {};
  for (const name of store.names) {
    const info = store.info(name);
    const values = await store.readF32(name);
    const cols = info.shape[info.shape.length - 1];
    const data = info.shape.length === 2 ? decodeRows(dtype, encodeRows(dtype, values, cols), cols) : values;
    tensors[name] = { dtype: 'F32', shape: info.shape, data };
  }
  const files: Record<string, Uint8Array> = { 'model.safetensors': writeSafetensors(tensors) };
  for (const file of OTHER_FILES) {
    const bytes = await readBytes(source, file);
    if (bytes) files[file] = bytes;
  }
  return memoryModelSource(`${source.id}-${dtype}-reference`, files);
}
