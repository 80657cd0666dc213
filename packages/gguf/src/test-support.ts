/**
 * Test helpers (Node only): the fixture models from packages/fixtures (written once to the
 * shared cache by `ensureFixtures`), a directory ModelSource over them, and a GGUF collected
 * into memory.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ModelSource, memoryModelSource } from '@cinder/model-format';
import { ensureFixtures } from '../../fixtures/src/index.ts';
import type { GgufFileType } from './gguf-types.ts';
import { writeGguf } from './write-gguf.ts';

export const FIXTURES = ['tiny-llama', 'tiny-qwen3', 'tiny-qwen2', 'tiny-smollm2'] as const;

export async function fixtureDirs(): Promise<Map<string, string>> {
  const infos = await ensureFixtures();
  return new Map(infos.map((info) => [info.name, info.dir]));
}

/** A directory as a ModelSource; range requests answer 206 with the clamped bytes. */
export function dirSource(dir: string, id: string): ModelSource {
  return {
    id,
    async file(name, options = {}) {
      const bytes = await readFile(join(dir, name)).catch(() => null);
      if (!bytes) return null;
      if (!options.range) return new Response(new Uint8Array(bytes));
      const [start, end] = options.range;
      return new Response(new Uint8Array(bytes.subarray(start, Math.min(end, bytes.length))), {
        status: 206,
      });
    },
  };
}

export async function collect(parts: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const part of parts) chunks.push(part);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export async function ggufBytes(source: ModelSource, type: GgufFileType): Promise<Uint8Array> {
  return collect(writeGguf(source, { type }));
}

/** A GGUF held in memory as a ModelSource with one file. */
export function ggufMemorySource(id: string, file: string, bytes: Uint8Array): ModelSource {
  return memoryModelSource(id, { [file]: bytes });
}
