import { describe, expect, it } from 'vitest';
import { callXgrammar, fatalReason, GrammarError, loadXgrammar } from './xgrammar.ts';

describe('xgrammar loading', () => {
  it('loads the wasm module under Node (named exports, or the UMD global)', async () => {
    const xgr = await loadXgrammar();
    expect(await loadXgrammar()).toBe(xgr);
    const grammar = await xgr.Grammar.fromEBNF('root ::= "a" [b-c]+');
    expect(grammar.toString()).toContain('root ::=');
    grammar.dispose();
    expect((globalThis as { location?: unknown }).location).toBeUndefined();
  });

  it("reports xgrammar's own reason for a refused input, and keeps working afterwards", async () => {
    const xgr = await loadXgrammar();
    const error = await callXgrammar(() => xgr.Grammar.fromEBNF('root ::= missing')).catch((e) => e);
    expect(error).toBeInstanceOf(GrammarError);
    expect(error.message).toBe('EBNF parser error at line 1, column 10: Rule "missing" is not defined');
    const ok = await callXgrammar(() => xgr.Grammar.fromEBNF('root ::= "x"'));
    ok.dispose();
  });

  it('strips the source location and check text from fatal lines', () => {
    expect(fatalReason('[FATAL] /a/b/regex_converter.cc:75: Regex parsing error at position 4')).toBe(
      'Regex parsing error at position 4',
    );
    expect(
      fatalReason(
        '[FATAL] /x/json.cc:885: Check failed: (schema_obj.at("type").is<std::string>()) is false: Type should be a string',
      ),
    ).toBe('Type should be a string');
  });
});
