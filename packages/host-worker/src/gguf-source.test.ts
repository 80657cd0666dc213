/**
 * A safetensors model converted to GGUF on the fly, on the tiny-smollm2 fixture (real writer, real
 * files): the GGUF appears beside the model's own files, once, and answers range reads.
 */
import { readdir, readFile } from 'node:fs/promises';
import { type ModelSource, memoryModelSource } from '@cinder/model-format';
import { describe, expect, it } from 'vitest';
import { convertedGgufSource, ggufFileOf } from './gguf-source.ts';

async function fixture(): Promise<ModelSource & { reads: string[] }> {
  const dir = new URL('../../../.fixtures/tiny-smollm2/', import.meta.url);
  const files: Record<string, Uint8Array> = {};
  for (const name of await readdir(dir)) files[name] = await readFile(new URL(name, dir));
  const source = memoryModelSource('tiny-smollm2', files);
  const reads: string[] = [];
  return {
    id: source.id,
    reads,
    file(name, options) {
      reads.push(name);
      return source.file(name, options);
    },
  };
}

describe('convertedGgufSource', () => {
  it('adds model-q8_0.gguf, written once, and keeps the model files', async () => {
    const source = await fixture();
    const converted = convertedGgufSource(source);
    expect(ggufFileOf(converted)).toBe('model-q8_0.gguf');
    expect(ggufFileOf(source)).toBeNull();

    const whole = new Uint8Array(await (await converted.file('model-q8_0.gguf'))!.arrayBuffer());
    expect(new TextDecoder().decode(whole.subarray(0, 4))).toBe('GGUF');
    const weightReads = source.reads.filter((name) => name === 'model.safetensors').length;

    const part = await converted.file('model-q8_0.gguf', { range: [4, 12] });
    expect(part!.status).toBe(206);
    expect(part!.headers.get('content-range')).toBe(`bytes 4-11/${whole.length}`);
    expect(new Uint8Array(await part!.arrayBuffer())).toEqual(whole.subarray(4, 12));
    expect(source.reads.filter((name) => name === 'model.safetensors').length).toBe(weightReads);

    expect(await (await converted.file('tokenizer.json'))!.json()).toHaveProperty('model');
    expect(await converted.file('missing.bin')).toBeNull();
  });

  it('writes f16 when asked', async () => {
    const converted = convertedGgufSource(await fixture(), { fileType: 'f16' });
    expect(ggufFileOf(converted)).toBe('model-f16.gguf');
    const q8 = await (await convertedGgufSource(await fixture()).file('model-q8_0.gguf'))!.blob();
    const f16 = await (await converted.file('model-f16.gguf'))!.blob();
    expect(f16.size).toBeGreaterThan(q8.size);
  });
});
