/**
 * Grammar compilation for one model: xgrammar's view of its vocabulary and the UTF-8 masks (built
 * once, on the first constrained request), a compiler, and an LRU cache of compiled grammars keyed
 * by constraint, so a schema sent again compiles in no time.
 */
import type { CompiledGrammar, GrammarCompiler, TokenizerInfo } from '@mlc-ai/web-xgrammar';
import type { TextTokenizer } from '../text/tokenizer.ts';
import { type Constraint, constraintKey } from './constraint.ts';
import { GrammarConstraint } from './grammar-constraint.ts';
import { grammarTokenBytes, grammarVocab } from './grammar-vocab.ts';
import { invalidGrammar, lowerSchemas } from './lower-schemas.ts';
import { LruCache } from './lru-cache.ts';
import { Utf8Masks } from './utf8-masks.ts';
import { WhitespaceTokens } from './whitespace-runs.ts';
import { callXgrammar, GrammarError, loadXgrammar, type Xgrammar } from './xgrammar.ts';

/** What grammar compilation needs to know about a model. */
export interface GrammarModel {
  readonly tokenizer: TextTokenizer;
  /** Length of a logits row. */
  readonly vocabSize: number;
  /** Tokens that end the output; a grammar allows them once it is complete. */
  readonly stopTokenIds: readonly number[];
}

/** Compiled grammars kept per model. */
export const GRAMMAR_CACHE_SIZE = 32;

const byTokenizer = new WeakMap<TextTokenizer, Promise<ModelGrammars>>();

export class ModelGrammars {
  private readonly cache = new LruCache<string, Promise<CompiledGrammar>>(GRAMMAR_CACHE_SIZE, (entry) => {
    entry.then(
      (grammar) => grammar.dispose(),
      () => {},
    );
  });

  private constructor(
    readonly xgr: Xgrammar,
    private readonly info: TokenizerInfo,
    private readonly compiler: GrammarCompiler,
    /** Which tokens may follow each UTF-8 decoder state (see utf8-masks.ts). */
    readonly utf8: Utf8Masks,
    /** Whitespace-only tokens, to end endless whitespace (see whitespace-runs.ts). */
    readonly whitespace: WhitespaceTokens,
    /** The bytes each token adds (none for special tokens), as the grammar sees them. */
    readonly bytesOf: (id: number) => Uint8Array,
  ) {}

  /** The grammar context of a model (per tokenizer), created on first use. */
  static of(model: GrammarModel): Promise<ModelGrammars> {
    let entry = byTokenizer.get(model.tokenizer);
    if (!entry) {
      entry = ModelGrammars.create(model);
      byTokenizer.set(model.tokenizer, entry);
      entry.catch(() => byTokenizer.delete(model.tokenizer));
    }
    return entry;
  }

  private static async create(model: GrammarModel): Promise<ModelGrammars> {
    const xgr = await loadXgrammar();
    const vocab = grammarVocab(model.tokenizer, model.vocabSize);
    const info = await xgr.TokenizerInfo.createTokenizerInfo(vocab, 'byte_level', false, model.vocabSize, [
      ...model.stopTokenIds,
    ]);
    // The cache lives here (LRU, bounded), not in xgrammar's unbounded one.
    const compiler = await xgr.GrammarCompiler.createGrammarCompiler(info, false);
    const bytesOf = (id: number) => grammarTokenBytes(model.tokenizer, id);
    const utf8 = Utf8Masks.build(model.vocabSize, bytesOf);
    const whitespace = WhitespaceTokens.build(model.vocabSize, bytesOf);
    return new ModelGrammars(xgr, info, compiler, utf8, whitespace, bytesOf);
  }

  get vocabSize(): number {
    return this.info.getVocabSize();
  }

  /** A new grammar state for one choice. */
  start(grammar: CompiledGrammar): Promise<GrammarConstraint> {
    return GrammarConstraint.start(this, grammar);
  }

  /** Compile (or find in the cache) a constraint. A grammar xgrammar refuses is a 400 on the constraint's param. */
  compile(constraint: Constraint): Promise<CompiledGrammar> {
    const key = constraintKey(constraint);
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.compileNow(constraint);
      this.cache.set(key, entry);
      entry.catch(() => this.cache.delete(key));
    }
    return entry;
  }

  private async compileNow(constraint: Constraint): Promise<CompiledGrammar> {
    const format = await lowerSchemas(this.xgr, constraint);
    try {
      return await callXgrammar(() =>
        format.type === 'grammar'
          ? this.compiler.compileGrammar(format.grammar)
          : this.compiler.compileStructuralTag({ type: 'structural_tag', format }),
      );
    } catch (cause) {
      if (cause instanceof GrammarError) throw invalidGrammar(constraint.param, `${cause.message}`);
      throw cause;
    }
  }
}
