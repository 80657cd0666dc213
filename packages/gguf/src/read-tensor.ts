/** One tensor of a GGUF file: its raw bytes, or its values as float32 (F32/F16/BF16/Q8_0/Q4_0). */
import { ModelFormatError } from '@cinder/model-format';
import { byteInput, type GgufInput, readExactly } from './byte-input.ts';
import { dequantize } from './dequantize.ts';
import type { GgufHeader, GgufTensorInfo } from './read-header.ts';

export function ggufTensorInfo(header: GgufHeader, name: string): GgufTensorInfo {
  const tensor = header.tensors.find((t) => t.name === name);
  if (!tensor) throw new ModelFormatError(`The GGUF file has no tensor ${name}`);
  return tensor;
}

export async function readGgufTensorBytes(
  input: GgufInput,
  header: GgufHeader,
  name: string,
  options: { signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const tensor = ggufTensorInfo(header, name);
  if (tensor.byteLength === null) {
    throw new ModelFormatError(
      `Tensor ${name} has ggml type ${tensor.typeId}, which this reader does not know`,
    );
  }
  return readExactly(byteInput(input), tensor.offset, tensor.offset + tensor.byteLength, options.signal);
}

/** The tensor's values, in ggml order (row-major with `dims[0]` innermost, like Hugging Face's [rows, cols]). */
export async function readGgufTensor(
  input: GgufInput,
  header: GgufHeader,
  name: string,
  options: { signal?: AbortSignal } = {},
): Promise<Float32Array> {
  const tensor = ggufTensorInfo(header, name);
  if (tensor.type === null) {
    throw new ModelFormatError(
      `Tensor ${name} is ${tensor.typeName}; only F32, F16, BF16, Q8_0 and Q4_0 dequantize`,
    );
  }
  return dequantize(tensor.type, await readGgufTensorBytes(input, header, name, options));
}
