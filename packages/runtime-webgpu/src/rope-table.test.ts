import { ropeInvFreq as cpuInvFreq, ropeCosSin } from '@cinder/runtime-cpu';
import { expect, it } from 'vitest';
import { fillRopeTable, ropeInvFreq } from './rope-table.ts';

it('inverse frequencies and angles are those of the CPU runtime, bit for bit', () => {
  const llama3 = {
    type: 'llama3',
    factor: 32,
    lowFreqFactor: 1,
    highFreqFactor: 4,
    originalMaxPositionEmbeddings: 8192,
  } as const;
  for (const scaling of [null, { type: 'linear', factor: 2 } as const, llama3]) {
    const ours = ropeInvFreq(64, 500000, scaling);
    expect([...ours]).toEqual([...cpuInvFreq(64, 500000, scaling)]);
    const table = new Float32Array(3 * 32 * 2);
    fillRopeTable(table, ours, [0, 17, 100000]);
    const cos = new Float32Array(32);
    const sin = new Float32Array(32);
    ropeCosSin(cos, sin, ours, 100000);
    expect([...table.subarray(128).filter((_, i) => i % 2 === 0)]).toEqual([...cos]);
    expect([...table.subarray(128).filter((_, i) => i % 2 === 1)]).toEqual([...sin]);
  }
});
