import { type ModelSource, memoryModelSource, openSafetensors, writeSafetensors } from '@cinder/model-format';
import { mulberry32 } from '@cinder/runtime-cpu';
import { describe, expect, it } from 'vitest';
import { batchRows, streamTensorRows } from './stream-rows.ts';

const random = mulberry32(4);
const values = new Float32Array(37 * 24).map(() => random() - 0.5);
const file = writeSafetensors({
  other: { dtype: 'F32', shape: [5], data: new Float32Array(5) },
  w32: { dtype: 'F32', shape: [37, 24], data: values },
  w16: { dtype: 'BF16', shape: [37, 24], data: values },
});

/** Serves the file in 7-byte pieces; `ignoreRange` answers every request with the whole file (200). */
function chunkySource(ignoreRange: boolean, truncateAt = Number.POSITIVE_INFINITY): ModelSource {
  return {
    id: 'chunky',
    async file(name, options = {}) {
      if (name !== 'model.safetensors') return null;
      const [start, end] = ignoreRange || !options.range ? [0, file.length] : options.range;
      const bytes = file.slice(start, Math.min(end, truncateAt));
      let at = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (at >= bytes.length) controller.close();
          else {
            controller.enqueue(bytes.slice(at, at + 7));
            at += 7;
          }
        },
      });
      return new Response(body, { status: ignoreRange || !options.range ? 200 : 206 });
    },
  };
}

describe('streamTensorRows', () => {
  it.each([
    ['range requests', false],
    ['a server that ignores Range', true],
  ])('yields every row in bounded batches (%s)', async (_, ignoreRange) => {
    const store = await openSafetensors(memoryModelSource('m', { 'model.safetensors': file }));
    for (const name of ['w32', 'w16']) {
      const expected = await store.readF32(name);
      const seen = new Float32Array(expected.length);
      const sizes: number[] = [];
      for await (const batch of streamTensorRows(
        chunkySource(ignoreRange),
        store.info(name),
        24,
        10 * 24 * 4,
      )) {
        seen.set(batch.values, batch.firstRow * 24);
        sizes.push(batch.values.length / 24);
      }
      expect(sizes).toEqual([10, 10, 10, 7]);
      expect([...seen]).toEqual([...expected]);
    }
  });

  it('fails clearly when the file ends inside the tensor', async () => {
    const store = await openSafetensors(memoryModelSource('m', { 'model.safetensors': file }));
    const info = store.info('w32');
    const rows = streamTensorRows(chunkySource(false, info.offset + 100), info, 24, 1024);
    await expect(async () => {
      for await (const _ of rows) {
      }
    }).rejects.toThrow(/ended inside tensor w32/);
  });

  it('batches hold an even number of rows (q8 / q4 scales pair up)', () => {
    expect(batchRows(24, 10 * 24 * 4)).toBe(10);
    expect(batchRows(24, 11 * 24 * 4)).toBe(10);
    expect(batchRows(1 << 20, 16)).toBe(2);
  });
});
