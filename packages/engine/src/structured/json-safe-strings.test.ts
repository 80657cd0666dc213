import { describe, expect, it } from 'vitest';
import { jsonSafeStrings } from './json-safe-strings.ts';
import { loadXgrammar } from './xgrammar.ts';

describe('jsonSafeStrings', () => {
  it('narrows negated and any-character classes, and nothing else', () => {
    expect(jsonSafeStrings('a ::= [^\\"\\\\\\r\\n] "[^x]" [a-z]')).toBe(
      'a ::= [^\\"\\\\\\r\\n\\0-\\x1f\\"\\\\] "[^x]" [a-z]',
    );
    expect(jsonSafeStrings('a ::= [\\0-\\U0010ffff] [^x\\]]')).toBe(
      'a ::= [^\\0-\\x1f\\"\\\\] [^x\\]\\0-\\x1f\\"\\\\]',
    );
    const plain = 'basic_string_sub ::= (("\\"") | ([^\\0-\\x1f\\"\\\\\\r\\n] basic_string_sub))';
    expect(jsonSafeStrings(plain)).toBe(plain);
  });

  it('makes maxLength and pattern strings reject what JSON does not allow', async () => {
    const xgr = await loadXgrammar();
    const cases: [object, string, boolean][] = [
      [{ type: 'string', maxLength: 4 }, '"ab"', true],
      [{ type: 'string', maxLength: 4 }, '"a\u0010"', false],
      [{ type: 'string', pattern: '^a.b$' }, '"axb"', true],
      [{ type: 'string', pattern: '^a.b$' }, '"a"b"', false],
      [{ type: 'string', pattern: '^[^x]$' }, '"\\"', false],
    ];
    for (const [schema, text, valid] of cases) {
      const raw = await xgr.Grammar.fromJSONSchema(JSON.stringify(schema), true, -1, undefined, true);
      const fixed = await xgr.Grammar.fromEBNF(jsonSafeStrings(raw.toString()));
      expect(await xgr.Testings.isGrammarAcceptString(fixed, text), `${JSON.stringify(schema)} ${text}`).toBe(
        valid,
      );
      raw.dispose();
      fixed.dispose();
    }
  });
});
