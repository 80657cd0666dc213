/**
 * A safetensors model converted to GGUF on the fly, on the tiny-smollm2 fixture (real writer, real
 * files): the GGUF appears beside the model's own files, once, and answers range reads.
 */
import { readdir, readFile } from 'node:fs/promises';
import { type ModelSource, memoryModelSource } from '@cinder/model-format';
import type { DerivedFiles } from '@cinder/model-store';
import { describe, expect, it } from 'vitest';
import { convertedGgufSource, GGUF_CONVERSION_VERSION, ggufFileOf, keepDerivedFiles } from './gguf-source.ts';

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

  it('keeps the conversion where the source says, and the next load reads it instead of converting', async () => {
    const kept = new Map<string, { version: string; blob: Blob }>();
    const puts: string[] = [];
    const files: DerivedFiles = {
      async get(name, version) {
        const entry = kept.get(name);
        return entry?.version === version ? entry.blob : null;
      },
      async put(name, version, blob) {
        puts.push(`${name}@${version}`);
        kept.set(name, { version, blob });
      },
    };
    const first = await fixture();
    const gguf = await (await convertedGgufSource(keepDerivedFiles(first, files)).file(
      'model-q8_0.gguf',
    ))!.blob();
    await new Promise((resolve) => setTimeout(resolve, 0)); // the put runs in the background
    expect(puts).toEqual([`model-q8_0.gguf@${GGUF_CONVERSION_VERSION}`]);

    // A later page load: the same model, a fresh source; the weights are not read again.
    const second = await fixture();
    const again = await (await convertedGgufSource(keepDerivedFiles(second, files)).file(
      'model-q8_0.gguf',
    ))!.blob();
    expect(second.reads).not.toContain('model.safetensors');
    expect(new Uint8Array(await again.arrayBuffer())).toEqual(new Uint8Array(await gguf.arrayBuffer()));
    expect(puts).toHaveLength(1);

    // Kept by another version of the writer: converted again, and replaced.
    kept.set('model-q8_0.gguf', { version: 'cinder-gguf-0', blob: new Blob(['stale']) });
    const third = await fixture();
    const fresh = await (await convertedGgufSource(third, { keep: files }).file('model-q8_0.gguf'))!.blob();
    expect(third.reads).toContain('model.safetensors');
    expect(fresh.size).toBe(gguf.size);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(kept.get('model-q8_0.gguf')?.version).toBe(GGUF_CONVERSION_VERSION);
  });

  it('still serves the conversion when keeping it fails (a full disk)', async () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args[0]);
    try {
      const full: DerivedFiles = {
        get: async () => null,
        put: async () => {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        },
      };
      const source = await fixture();
      const response = await convertedGgufSource(source, { keep: full }).file('model-q8_0.gguf');
      expect(new TextDecoder().decode(new Uint8Array(await response!.arrayBuffer()).subarray(0, 4))).toBe(
        'GGUF',
      );
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(String(warnings[0])).toMatch(/could not be kept; the next load converts again/);
    } finally {
      console.warn = warn;
    }
  });
});
