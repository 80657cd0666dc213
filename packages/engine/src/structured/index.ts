/** Constrained decoding: output constraints, their compilation per model, and per-choice grammar state. */
export { afterReasoning } from './after-reasoning.ts';
export {
  type Constraint,
  DEFAULT_JSON_OPTIONS,
  type JsonOptions,
  schemaLeaf,
  type TagFormat,
} from './constraint.ts';
export type { GrammarConstraint } from './grammar-constraint.ts';
export { GRAMMAR_CACHE_SIZE, type GrammarModel, ModelGrammars } from './model-grammars.ts';
export { legacyStructuralTag, parseStructuralTag, requestConstraint } from './request-constraint.ts';
export { GrammarError, loadXgrammar } from './xgrammar.ts';
