/**
 * Inline Markdown: emphasis, code spans, links, autolinks, images and line breaks, scanned left to
 * right. Anything that is not recognised stays literal text, raw HTML included: the renderer writes
 * text with `textContent`, so `<img onerror=...>` shows as those characters and never becomes markup.
 * This is a readable subset of CommonMark, not all of it; unclosed markers (common while a reply is
 * still streaming) are shown as typed.
 */
import { safeHref } from './safe-url.ts';
import type { Inline } from './types.ts';

const ESCAPABLE = '\\`*_{}[]()#+-.!~<>|"\'';
const LINK_TARGET = /\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'))?\s*\)/y;
const AUTOLINK = /<((?:https?|mailto):[^\s<>]+)>/iy;
const BARE_URL = /https?:\/\/[^\s<>]+/iy;
const BACKTICKS = /`+/y;

const isWordChar = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);

export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ type: 'text', text });
    text = '';
  };
  const push = (node: Inline) => {
    flush();
    out.push(node);
  };

  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    const next = source[i + 1];

    if (ch === '\\' && next !== undefined && ESCAPABLE.includes(next)) {
      text += next;
      i += 2;
    } else if (ch === '\\' && next === '\n') {
      push({ type: 'break' });
      i += 2;
    } else if (ch === '\n') {
      text = text.replace(/ +$/, '');
      push({ type: 'break' });
      i += 1;
    } else if (ch === '`') {
      const span = codeSpan(source, i);
      if (span) {
        push({ type: 'code', text: span.text });
        i = span.end;
      } else {
        const run = matchAt(BACKTICKS, source, i)![0];
        text += run;
        i += run.length;
      }
    } else if ((ch === '[' || (ch === '!' && next === '[')) && link(source, i)) {
      const found = link(source, i)!;
      push(found.node);
      i = found.end;
    } else if (ch === '<' && matchAt(AUTOLINK, source, i)) {
      const match = matchAt(AUTOLINK, source, i)!;
      push({ type: 'link', href: safeHref(match[1]), children: [{ type: 'text', text: match[1] }] });
      i += match[0].length;
    } else if ((ch === 'h' || ch === 'H') && !isWordChar(source[i - 1]) && matchAt(BARE_URL, source, i)) {
      const url = trimUrl(matchAt(BARE_URL, source, i)![0]);
      push({ type: 'link', href: safeHref(url), children: [{ type: 'text', text: url }] });
      i += url.length;
    } else if (ch === '*' || ch === '_' || ch === '~') {
      const found = emphasis(source, i);
      if (found) {
        push(found.node);
        i = found.end;
      } else {
        text += ch;
        i += 1;
      }
    } else {
      text += ch;
      i += 1;
    }
  }
  flush();
  return out;
}

function matchAt(pattern: RegExp, source: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(source);
}

/** A code span: a run of backticks up to the next run of the same length. */
function codeSpan(source: string, at: number): { text: string; end: number } | null {
  const run = matchAt(BACKTICKS, source, at)![0];
  let from = at + run.length;
  while (true) {
    const close = source.indexOf(run, from);
    if (close === -1) return null;
    if (source[close + run.length] !== '`' && source[close - 1] !== '`') {
      let text = source.slice(at + run.length, close).replace(/\n/g, ' ');
      if (/^ .*[^ ].* $/.test(text)) text = text.slice(1, -1);
      return { text, end: close + run.length };
    }
    from = close + run.length;
  }
}

/** `[text](url)` or `![alt](url)`, with nested brackets in the text. */
function link(source: string, at: number): { node: Inline; end: number } | null {
  const image = source[at] === '!';
  const open = image ? at + 1 : at;
  let depth = 0;
  let close = -1;
  for (let j = open; j < source.length; j++) {
    if (source[j] === '\\') j++;
    else if (source[j] === '[') depth++;
    else if (source[j] === ']' && --depth === 0) {
      close = j;
      break;
    }
  }
  if (close === -1) return null;
  const target = matchAt(LINK_TARGET, source, close + 1);
  if (!target) return null;
  const label = source.slice(open + 1, close);
  const url = target[1].replace(/^<|>$/g, '');
  const end = close + 1 + target[0].length;
  if (image) return { node: { type: 'image', alt: label }, end };
  return { node: { type: 'link', href: safeHref(url), children: parseInline(label) }, end };
}

/** Trailing punctuation is not part of a bare URL, nor a `)` that closes an outer parenthesis. */
function trimUrl(url: string): string {
  while (/[.,;:!?'"*_]$/.test(url) || (url.endsWith(')') && count(url, '(') < count(url, ')'))) {
    url = url.slice(0, -1);
  }
  return url;
}

const count = (text: string, ch: string) => text.split(ch).length - 1;

const DELIMITERS = [
  {
    mark: '***',
    wrap: (children: Inline[]): Inline => ({ type: 'strong', children: [{ type: 'em', children }] }),
  },
  {
    mark: '___',
    wrap: (children: Inline[]): Inline => ({ type: 'strong', children: [{ type: 'em', children }] }),
  },
  { mark: '**', wrap: (children: Inline[]): Inline => ({ type: 'strong', children }) },
  { mark: '__', wrap: (children: Inline[]): Inline => ({ type: 'strong', children }) },
  { mark: '~~', wrap: (children: Inline[]): Inline => ({ type: 'del', children }) },
  { mark: '*', wrap: (children: Inline[]): Inline => ({ type: 'em', children }) },
  { mark: '_', wrap: (children: Inline[]): Inline => ({ type: 'em', children }) },
];

/** `*em*`, `**strong**`, `***both***`, `~~del~~` (and `_`/`__`, not inside words). */
function emphasis(source: string, at: number): { node: Inline; end: number } | null {
  for (const { mark, wrap } of DELIMITERS) {
    if (!source.startsWith(mark, at)) continue;
    const start = at + mark.length;
    const underscore = mark[0] === '_';
    if (isSpace(source[start]) || source[start] === mark[0]) continue;
    if (underscore && isWordChar(source[at - 1])) continue;
    const close = closing(source, mark, start);
    if (close === -1) continue;
    return { node: wrap(parseInline(source.slice(start, close))), end: close + mark.length };
  }
  return null;
}

function closing(source: string, mark: string, from: number): number {
  for (let j = source.indexOf(mark, from); j !== -1; j = source.indexOf(mark, j + 1)) {
    const before = source[j - 1];
    const after = source[j + mark.length];
    if (isSpace(before) || j === from) continue;
    // Part of a longer run (`**` inside `*a **b** c*`): not this closer.
    if (mark.length < 3 && (before === mark[0] || after === mark[0])) continue;
    if (mark[0] === '_' && isWordChar(after)) continue;
    return j;
  }
  return -1;
}
