export { createEngine, type EngineOptions, type LoadedModelInfo, type LocalEngine } from './create-engine.ts';
export type { ChatCompletions, Engine, Models, RequestOptions } from './engine-api.ts';
export type { SchedulerOptions } from './generate/scheduler.ts';
export type { LoadedModel, ModelSpec } from './model/load-model.ts';
export { type SplitText, THINK_TAGS, ThinkSplitter, type ThinkTags } from './reasoning/think-splitter.ts';
export type {
  DeviceSampling,
  KvSequence,
  LoadProgress,
  ModelInfo,
  Runtime,
  RuntimeFactory,
  RuntimeLoadOptions,
  SampledToken,
  StepInput,
  StepOutput,
} from './runtime/runtime.ts';
export { GREEDY_DEVICE_SAMPLING } from './runtime/runtime.ts';
export { createSampler, type Sampler, type SamplerOptions, type SamplingContext } from './sampling/index.ts';
export {
  type Constraint,
  DEFAULT_JSON_OPTIONS,
  type GrammarConstraint,
  type GrammarModel,
  legacyStructuralTag,
  ModelGrammars,
  parseStructuralTag,
  schemaLeaf,
  type TagFormat,
} from './structured/index.ts';
export { IncrementalDetokenizer, loadTokenizer, type TextTokenizer } from './text/index.ts';
export { registerToolFormat, toolFormatFor } from './tools/registry.ts';
export type { ParsedToolCall, ToolCallFormat, ToolCallParser, ToolOutputPiece } from './tools/tool-format.ts';
