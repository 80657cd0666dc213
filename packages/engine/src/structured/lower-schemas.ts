/**
 * Turns every JSON-schema leaf of a structural-tag format into an EBNF `grammar` leaf, using the
 * constraint's JSON options (whitespace rules), so a schema behaves the same alone, inside a
 * structural tag, after a reasoning block or as a tool's arguments; strings are repaired to stay
 * valid JSON (json-safe-strings.ts). A schema xgrammar refuses is a 400 naming the leaf's param
 * (or the constraint's).
 */
import { ApiError } from '@cinder/protocol';
import { type Constraint, type JsonOptions, leafParam, type TagFormat } from './constraint.ts';
import { jsonSafeStrings } from './json-safe-strings.ts';
import { applyWhitespacePattern, PatternError } from './whitespace-pattern.ts';
import { callXgrammar, GrammarError, type Xgrammar } from './xgrammar.ts';

export async function lowerSchemas(xgr: Xgrammar, constraint: Constraint): Promise<TagFormat> {
  const lower = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map(lower));
    if (typeof node !== 'object' || node === null) return node;
    const record = node as Record<string, unknown>;
    if (record.type === 'json_schema' && 'json_schema' in record) {
      const param = leafParam(record) ?? constraint.param;
      return {
        type: 'grammar',
        grammar: await schemaToEbnf(xgr, record.json_schema, constraint.json, param),
      };
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) out[key] = await lower(value);
    return out;
  };
  return (await lower(constraint.format)) as TagFormat;
}

export async function schemaToEbnf(
  xgr: Xgrammar,
  schema: unknown,
  options: JsonOptions,
  param: string,
): Promise<string> {
  const text = JSON.stringify(schema === true ? {} : schema);
  let ebnf: string;
  try {
    const grammar = await callXgrammar(() =>
      xgr.Grammar.fromJSONSchema(text, options.anyWhitespace, -1, undefined, true),
    );
    ebnf = jsonSafeStrings(grammar.toString());
    grammar.dispose();
  } catch (cause) {
    if (cause instanceof GrammarError)
      throw invalidGrammar(param, `the JSON schema is not supported: ${cause.message}`);
    throw cause;
  }
  if (!options.whitespacePattern) return ebnf;
  try {
    return applyWhitespacePattern(ebnf, options.whitespacePattern);
  } catch (cause) {
    if (cause instanceof PatternError) {
      throw invalidGrammar('structured_outputs.whitespace_pattern', `${cause.message}.`);
    }
    throw cause;
  }
}

export function invalidGrammar(param: string, why: string): ApiError {
  return new ApiError(400, `Invalid '${param}': ${why}`, { param, code: 'invalid_value' });
}
