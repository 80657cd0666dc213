/**
 * An output constraint, before compilation: one xgrammar structural-tag format (the common
 * language of every kind: a JSON schema, a regex, a list of choices, an EBNF grammar, a
 * structural tag, forced tool calls, and a reasoning block ahead of any of them), plus how JSON
 * schemas inside it are turned into grammars.
 */
import type { StructuralTagFormat } from '@mlc-ai/web-xgrammar';

export type TagFormat = StructuralTagFormat;
export type JsonSchemaValue = boolean | Record<string, unknown>;

export interface JsonOptions {
  /** Any whitespace between JSON tokens (xgrammar `any_whitespace`); false: `, ` and `: ` only. */
  readonly anyWhitespace: boolean;
  /** vLLM `whitespace_pattern`: a regex every whitespace run must match, in place of the default. */
  readonly whitespacePattern: string | null;
}

/**
 * Default: any whitespace between JSON tokens, as vLLM (xgrammar `any_whitespace`). Endless
 * whitespace is stopped at sampling time instead (whitespace-runs.ts): a cap written into the
 * grammar would double its compile time at a 151k vocabulary.
 */
export const DEFAULT_JSON_OPTIONS: JsonOptions = {
  anyWhitespace: true,
  whitespacePattern: null,
};

export interface Constraint {
  readonly format: TagFormat;
  readonly json: JsonOptions;
  /** The request param a compile failure is reported on, unless a schema leaf names its own. */
  readonly param: string;
}

/** Params of JSON-schema leaves that came from a specific request field (e.g. `tools[2].function.parameters`). */
const leafParams = new WeakMap<object, string>();

export function schemaLeaf(schema: JsonSchemaValue, param?: string): TagFormat {
  const leaf: TagFormat = { type: 'json_schema', json_schema: schema };
  if (param) leafParams.set(leaf, param);
  return leaf;
}

export function leafParam(leaf: object): string | undefined {
  return leafParams.get(leaf);
}

/** The cache key of a constraint: what it compiles to, not where an error would point. */
export function constraintKey(constraint: Constraint): string {
  return JSON.stringify([constraint.format, constraint.json]);
}
