/**
 * Splits a thinking model's output into reasoning (inside `<think>…</think>`) and content: the
 * engine's own splitter, so WebLLM models split exactly as models on cinder's runtimes do.
 */
import { THINK_TAGS } from '@cinder/engine';

export { type SplitText, ThinkSplitter } from '@cinder/engine';

export const THINK_OPEN = THINK_TAGS.open;
export const THINK_CLOSE = THINK_TAGS.close;
