/**
 * @cinder/runtime-wllama: llama.cpp in WebAssembly (@wllama/wllama 3.8.1, browsers only) behind the
 * engine's Runtime interface. `wllamaRuntime({ wasmUrl })` loads a model's GGUF from a ModelSource.
 */
export { benchWllama, type WllamaBenchOptions, type WllamaBenchResult } from './bench.ts';
export { DEFAULT_GGUF_FILES, loadWllama, type WllamaRuntimeOptions, wllamaRuntime } from './factory.ts';
export { type IdVocabularyGguf, idVocabularyGguf } from './gguf-vocabulary.ts';
export type { LookaheadOptions, StreamCompletion } from './lookahead.ts';
export {
  type CompletionBackend,
  DEFAULT_LOOKAHEAD,
  DEFAULT_LOOKAHEAD_LEAD,
  WllamaRuntime,
  type WllamaRuntimeSettings,
} from './runtime.ts';
export { idsToText, textToIds, tokenChar } from './token-text.ts';
