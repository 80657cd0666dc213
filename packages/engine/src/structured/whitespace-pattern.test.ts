import { describe, expect, it } from 'vitest';
import { applyWhitespacePattern, PatternError, patternToEbnf } from './whitespace-pattern.ts';
import { loadXgrammar } from './xgrammar.ts';

describe('patternToEbnf', () => {
  it('accepts exactly what the regex matches (checked with xgrammar)', async () => {
    const xgr = await loadXgrammar();
    const patterns = ['[ \\n\\t]*', '^ ?$', '\\s{0,2}', '(\\n|  )*', '(?: |\\t)+', '[^a-z"]{1,3}', '\\n\\t?'];
    const inputs = ['', ' ', '  ', '   ', '\n', '\n\t', '\t\t', ' \n ', '"', 'a', '\n  \n'];
    for (const pattern of patterns) {
      const grammar = await xgr.Grammar.fromEBNF(`root ::= ${patternToEbnf(pattern)}`);
      const regex = new RegExp(`^(?:${pattern.replace(/^\^|\$$/g, '')})$`);
      for (const input of inputs) {
        const accepted = await xgr.Testings.isGrammarAcceptString(grammar, input);
        expect(accepted, `${pattern} on ${JSON.stringify(input)}`).toBe(regex.test(input));
      }
      grammar.dispose();
    }
  });

  it('refuses what it cannot translate', () => {
    for (const bad of ['(?= )', '\\b', ' *?', '[ ', '( ', '*', 'a^b', '\\p{Z}']) {
      expect(() => patternToEbnf(bad), bad).toThrow(PatternError);
    }
  });

  it('puts the pattern in place of xgrammar whitespace runs', () => {
    expect(applyWhitespacePattern('root ::= "{" [ \\n\\t]* "}"', ' ?')).toBe('root ::= "{" ((" ")?) "}"');
  });
});
