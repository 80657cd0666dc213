import { nodeGpu } from '@cinder/host-node';
import { expect, it } from 'vitest';
import { acquireDevice } from './device.ts';

it('enables subgroups when the adapter has them and WGSL has subgroup_id', async () => {
  const gpu = nodeGpu();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const context = await acquireDevice(gpu);
  const offered = adapter!.features.has('subgroups') && gpu.wgslLanguageFeatures.has('subgroup_id');
  console.log(`adapter offers subgroups with subgroup_id: ${offered}`);
  expect(context.features.subgroups).toBe(offered);
  expect(context.device.features.has('subgroups')).toBe(offered);
});
