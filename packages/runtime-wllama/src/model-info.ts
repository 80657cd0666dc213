/** What the engine is told about a GGUF model: architecture, context, weight type and size. */
import { GGUF_ARCHITECTURES, type GgufHeader } from '@cinder/gguf';
import { type ModelSource, readJson } from '@cinder/model-format';

/** ggml tensor type ids -> the dtype names our runtimes use (others: the ggml name, lowercased). */
const DTYPES: Record<number, string> = {
  0: 'f32',
  1: 'f16',
  2: 'q4',
  3: 'q4_1',
  6: 'q5_0',
  7: 'q5_1',
  8: 'q8',
  10: 'q2_k',
  11: 'q3_k',
  12: 'q4_k',
  13: 'q5_k',
  14: 'q6_k',
  30: 'bf16',
};

/** The type most 2-D weights have. */
export function weightDtype(header: GgufHeader): string {
  const counts = new Map<number, number>();
  for (const tensor of header.tensors) {
    if (tensor.dims.length >= 2) counts.set(tensor.typeId, (counts.get(tensor.typeId) ?? 0) + 1);
  }
  let best = 0;
  let most = -1;
  for (const [typeId, count] of counts) {
    if (count > most) [best, most] = [typeId, count];
  }
  return DTYPES[best] ?? `ggml${best}`;
}

/** `config.json`'s architecture when the source has one, else the GGUF's, in Hugging Face terms. */
export async function architectureOf(source: ModelSource, header: GgufHeader): Promise<string> {
  const config = await readJson<{ architectures?: unknown }>(source, 'config.json').catch(() => null);
  const named = Array.isArray(config?.architectures) ? config.architectures[0] : undefined;
  if (typeof named === 'string') return named;
  const arch = String(header.metadata.get('general.architecture')?.value ?? 'unknown');
  const hf = Object.entries(GGUF_ARCHITECTURES).find(([, gguf]) => gguf === arch)?.[0];
  return hf ?? arch;
}

/** The context the model was trained for (`<arch>.context_length`), or null. */
export function trainedContext(header: GgufHeader): number | null {
  const arch = header.metadata.get('general.architecture')?.value;
  const value = header.metadata.get(`${String(arch)}.context_length`)?.value;
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : null;
}
