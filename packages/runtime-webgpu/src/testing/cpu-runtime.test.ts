import { cpuRuntime } from '@cinder/runtime-cpu';
import { runRuntimeConformance } from './runtime.case.ts';

// The CPU reference runs the same suite as the WebGPU runtime.
runRuntimeConformance({ name: 'cpu', factory: cpuRuntime, tolerance: 0 });
