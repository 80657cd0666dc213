export { directoryModelSource } from './directory-model-source.ts';
export { type NodeGpuOptions, nodeGpu, SWIFTSHADER_ICD } from './node-gpu.ts';
export {
  type FetchHandler,
  type NodeServer,
  type ServeOptions,
  serveNode,
  toNodeListener,
} from './node-server.ts';
export { nodeWebgpuRuntime } from './node-webgpu-runtime.ts';
