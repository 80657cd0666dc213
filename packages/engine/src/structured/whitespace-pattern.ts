/**
 * vLLM's `whitespace_pattern` is a regex that every whitespace run between JSON tokens must match.
 * xgrammar writes JSON-schema grammars with `[ \n\t]*` for those runs, so the pattern is translated
 * into an EBNF expression and put in their place.
 *
 * The translation covers what whitespace patterns use: literals and escapes (`\s \t \n \r \f \v`,
 * escaped punctuation, `\d \w`), classes `[...]` (with `^` and ranges), `.`, groups `( )` / `(?: )`,
 * alternation and the quantifiers `* + ? {m} {m,} {m,n}`; `^` / `$` at the ends are dropped.
 * Anything else (lookaround, backreferences, lazy quantifiers) is refused.
 */

export class PatternError extends Error {
  override readonly name = 'PatternError';
}

const CLASS_ESCAPES: Readonly<Record<string, string>> = {
  s: ' \\t\\n\\r\\f\\v',
  d: '0-9',
  w: 'a-zA-Z0-9_',
  t: '\\t',
  n: '\\n',
  r: '\\r',
  f: '\\f',
  v: '\\v',
};

const QUANTIFIER = /^(?:[*+?]|\{\d+(?:,\d*)?\})/;

/**
 * Replace every default whitespace run of an xgrammar JSON grammar by the pattern, written inline
 * (xgrammar 0.1.27 mis-parses some grammars when the runs are a reference to a nullable rule).
 */
export function applyWhitespacePattern(ebnf: string, pattern: string): string {
  return ebnf.replaceAll('[ \\n\\t]*', `(${patternToEbnf(pattern)})`);
}

export function patternToEbnf(pattern: string): string {
  let source = pattern;
  if (source.startsWith('^')) source = source.slice(1);
  if (source.endsWith('$') && !source.endsWith('\\$')) source = source.slice(0, -1);
  const parser = new Parser(source);
  const expression = parser.alternation();
  if (!parser.done) throw new PatternError(`unexpected '${source[parser.pos]}' at position ${parser.pos}`);
  return expression === '' ? '""' : expression;
}

class Parser {
  pos = 0;
  constructor(private readonly source: string) {}

  get done(): boolean {
    return this.pos >= this.source.length;
  }

  alternation(): string {
    const branches = [this.sequence()];
    while (this.source[this.pos] === '|') {
      this.pos++;
      branches.push(this.sequence());
    }
    const used = branches.map((b) => (b === '' ? '""' : b));
    return used.length === 1 ? branches[0] : `(${used.join(' | ')})`;
  }

  private sequence(): string {
    const items: string[] = [];
    while (!this.done && this.source[this.pos] !== '|' && this.source[this.pos] !== ')') {
      const atom = this.atom();
      const quantifier = QUANTIFIER.exec(this.source.slice(this.pos))?.[0] ?? '';
      this.pos += quantifier.length;
      if (this.source[this.pos] === '?' || this.source[this.pos] === '+') {
        throw new PatternError(`lazy or possessive quantifiers are not supported (position ${this.pos})`);
      }
      items.push(quantifier ? `(${atom})${quantifier}` : atom);
    }
    return items.join(' ');
  }

  private atom(): string {
    const ch = this.source[this.pos++];
    if (ch === '(') {
      if (this.source[this.pos] === '?') {
        if (this.source[this.pos + 1] !== ':')
          throw new PatternError('lookaround and named groups are not supported');
        this.pos += 2;
      }
      const inner = this.alternation();
      if (this.source[this.pos] !== ')') throw new PatternError('unclosed group');
      this.pos++;
      return inner === '' ? '""' : `(${inner})`;
    }
    if (ch === '[') return this.characterClass();
    if (ch === '.') return '[^\\n]';
    if (ch === '\\') return this.escape();
    if ('*+?{'.includes(ch)) throw new PatternError(`nothing to repeat at position ${this.pos - 1}`);
    if (ch === '^' || ch === '$') throw new PatternError('anchors are only allowed at the ends');
    return literal(ch);
  }

  private escape(): string {
    const ch = this.source[this.pos++];
    if (ch === undefined) throw new PatternError('pattern ends with a backslash');
    if (ch in CLASS_ESCAPES) return `[${CLASS_ESCAPES[ch]}]`;
    if (/[0-9a-zA-Z]/.test(ch)) throw new PatternError(`the escape \\${ch} is not supported`);
    return literal(ch);
  }

  private characterClass(): string {
    let body = '';
    if (this.source[this.pos] === '^') {
      body += '^';
      this.pos++;
    }
    let first = true;
    while (!this.done && (this.source[this.pos] !== ']' || first)) {
      const ch = this.source[this.pos++];
      first = false;
      if (ch === '\\') {
        const next = this.source[this.pos++];
        if (next === undefined) throw new PatternError('unclosed character class');
        body += CLASS_ESCAPES[next] ?? (/[0-9a-zA-Z]/.test(next) ? unsupported(next) : `\\${next}`);
      } else if (ch === '"' || ch === ']') {
        body += `\\${ch}`;
      } else {
        body += ch;
      }
    }
    if (this.source[this.pos] !== ']') throw new PatternError('unclosed character class');
    this.pos++;
    return `[${body}]`;
  }
}

function unsupported(letter: string): never {
  throw new PatternError(`the escape \\${letter} is not supported in a character class`);
}

function literal(ch: string): string {
  const escaped =
    ch === '"' || ch === '\\'
      ? `\\${ch}`
      : ch === '\n'
        ? '\\n'
        : ch === '\t'
          ? '\\t'
          : ch === '\r'
            ? '\\r'
            : ch;
  return `"${escaped}"`;
}
