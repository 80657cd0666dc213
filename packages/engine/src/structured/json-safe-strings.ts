/**
 * Repairs xgrammar 0.1.27 JSON-schema grammars so that strings stay valid JSON. Its plain string
 * rule is right (`[^\0-\x1f\"\\\r\n]`, plus escapes), but the rules it writes for `maxLength` /
 * `minLength` use `[^\"\\\r\n]`, and a `pattern` becomes character classes taken from the regex
 * (`.` is `[\0-\U0010ffff]`, `[^x]` is `[^x]`): both let control characters, and the latter even
 * raw `"` and `\`, into a string. Every negated class and every any-character class is narrowed to
 * characters JSON allows unescaped. (A `pattern` that itself lists `"` or `\` can still break the
 * JSON; patterns that need those are rare.)
 */

const FORBIDDEN = '\\0-\\x1f\\"\\\\';
const ANY = '\\0-\\U0010ffff';

export function jsonSafeStrings(ebnf: string): string {
  let out = '';
  let i = 0;
  while (i < ebnf.length) {
    const ch = ebnf[i];
    if (ch === '"') {
      const end = skipQuoted(ebnf, i);
      out += ebnf.slice(i, end);
      i = end;
    } else if (ch === '[') {
      const end = classEnd(ebnf, i);
      out += `[${narrow(ebnf.slice(i + 1, end))}]`;
      i = end + 1;
    } else if (ch === '#') {
      const end = ebnf.indexOf('\n', i);
      const stop = end < 0 ? ebnf.length : end;
      out += ebnf.slice(i, stop);
      i = stop;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function narrow(body: string): string {
  if (body === ANY) return `^${FORBIDDEN}`;
  if (!body.startsWith('^') || body.includes('\\0-\\x1f')) return body;
  return body + FORBIDDEN;
}

/** Index just past the closing quote of the string literal that starts at `start`. */
function skipQuoted(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** Index of the `]` that closes the class starting at `start`. */
function classEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === ']') return i;
  }
  return text.length;
}
