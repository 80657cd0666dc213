/**
 * One choice's grammar state: an xgrammar matcher advanced with every sampled token, the UTF-8
 * decoder state of the output so far, its trailing whitespace run, and the mask of tokens allowed
 * next (the grammar's, narrowed to well-formed UTF-8 and, past a long whitespace run, to
 * non-whitespace), computed when the next logits row needs it (once per token).
 *
 * The grammar mask is read synchronously (xgrammar's own `getNextTokenBitmask` is async and must
 * not run on a matcher that has since moved on or terminated: that corrupts the wasm heap).
 */
import type { CompiledGrammar, GrammarMatcher } from '@mlc-ai/web-xgrammar';
import { applyBitmask, firstAllowed, isAllowed } from './apply-bitmask.ts';
import type { ModelGrammars } from './model-grammars.ts';
import { UTF8_BOUNDARY, utf8After } from './utf8-masks.ts';
import { copyIntVector, type EmbindIntVector } from './wasm-vector.ts';
import { MAX_WHITESPACE_RUN, whitespaceLength } from './whitespace-runs.ts';
import { xgrammarMemory } from './xgrammar.ts';

/** The embind object behind GrammarMatcher. */
interface MatcherHandle {
  GetNextTokenBitmask(vocabSize: number): EmbindIntVector;
}

const leaked = new FinalizationRegistry<GrammarMatcher>((matcher) => matcher.dispose());

export class GrammarConstraint {
  private current: Int32Array | null = null;
  private utf8State = UTF8_BOUNDARY;
  private whitespaceRun = 0;
  private released = false;

  private constructor(
    private readonly grammars: ModelGrammars,
    private readonly matcher: GrammarMatcher,
  ) {
    leaked.register(this, matcher, this);
  }

  static async start(grammars: ModelGrammars, grammar: CompiledGrammar): Promise<GrammarConstraint> {
    const matcher = await grammars.xgr.GrammarMatcher.createGrammarMatcher(grammar);
    return new GrammarConstraint(grammars, matcher);
  }

  /** The matcher accepted a stop token: the output is complete. */
  get terminated(): boolean {
    return !this.released && this.matcher.isTerminated();
  }

  /** The allowed-token bitmask for the next token. */
  mask(): Int32Array {
    if (this.current) return this.current;
    if (this.released || this.matcher.isTerminated()) throw new Error('the grammar has ended');
    const handle = (this.matcher as unknown as { handle: MatcherHandle }).handle;
    const vector = handle.GetNextTokenBitmask(this.grammars.vocabSize);
    let mask: Int32Array;
    try {
      mask = copyIntVector(vector, xgrammarMemory());
    } finally {
      vector.delete();
    }
    this.grammars.utf8.narrow(mask, this.utf8State);
    if (this.whitespaceRun > MAX_WHITESPACE_RUN) this.grammars.whitespace.limit(mask);
    this.current = mask;
    return mask;
  }

  /** Set every token the grammar does not allow next to -Infinity. */
  apply(logits: Float32Array): void {
    applyBitmask(this.mask(), logits);
  }

  /**
   * Advance with the sampled token and return the token taken: the sampled one, or, if the row had
   * nothing allowed left after other processors (min_tokens banning the only stop token, say), the
   * first allowed token, because the grammar has the last word.
   */
  accept(token: number): number {
    const mask = this.mask();
    const taken = isAllowed(mask, token) ? token : firstAllowed(mask);
    if (taken < 0 || !this.matcher.acceptToken(taken)) {
      throw new Error(`grammar matcher rejected token ${taken}`);
    }
    this.current = null;
    const bytes = this.grammars.bytesOf(taken);
    this.utf8State = Math.max(utf8After(this.utf8State, bytes), UTF8_BOUNDARY);
    const spaces = whitespaceLength(bytes);
    if (spaces < 0) this.whitespaceRun = 0;
    else this.whitespaceRun += spaces;
    return taken;
  }

  /** Free the matcher. */
  release(): void {
    if (this.released) return;
    this.released = true;
    leaked.unregister(this);
    this.matcher.dispose();
  }
}
