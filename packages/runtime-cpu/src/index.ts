export { createTransformer, forward, type Transformer } from './forward.ts';
export { type AttentionShape, attention } from './kernels/attention.ts';
export { embedding } from './kernels/embedding.ts';
export { matmul, matmulNaive } from './kernels/matmul.ts';
export { residual } from './kernels/residual.ts';
export { rmsnorm, rmsnormHeads } from './kernels/rmsnorm.ts';
export { rope, ropeCosSin, ropeInvFreq } from './kernels/rope.ts';
export { softmax } from './kernels/softmax.ts';
export { silu, swiglu } from './kernels/swiglu.ts';
export { CpuRuntime, cpuRuntime } from './runtime.ts';
export { createRunState, KV_CACHE_CHUNK, KvCache, type RunState } from './state.ts';
export {
  mulberry32,
  type RandomModelOptions,
  randomModelConfig,
  randomModelFiles,
  randomModelSource,
} from './testing/random-model.ts';
export { type LayerWeights, loadWeights, type TransformerWeights, weightTensors } from './weights.ts';
