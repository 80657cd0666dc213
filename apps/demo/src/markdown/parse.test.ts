import { describe, expect, it } from 'vitest';
import { parseMarkdown } from './parse-blocks.ts';
import { parseInline } from './parse-inline.ts';

const text = (t: string) => ({ type: 'text', text: t });

describe('parseInline', () => {
  it('emphasis, strong, both, strikethrough and code spans', () => {
    expect(parseInline('a *b* **c** ***d*** ~~e~~ `f*g*`')).toEqual([
      text('a '),
      { type: 'em', children: [text('b')] },
      text(' '),
      { type: 'strong', children: [text('c')] },
      text(' '),
      { type: 'strong', children: [{ type: 'em', children: [text('d')] }] },
      text(' '),
      { type: 'del', children: [text('e')] },
      text(' '),
      { type: 'code', text: 'f*g*' },
    ]);
    expect(parseInline('*a **b** c*')).toEqual([
      { type: 'em', children: [text('a '), { type: 'strong', children: [text('b')] }, text(' c')] },
    ]);
  });

  it('leaves unclosed markers, intraword underscores and lone stars as text', () => {
    expect(parseInline('**still streaming')).toEqual([text('**still streaming')]);
    expect(parseInline('snake_case_name and 2 * 3 * 4')).toEqual([text('snake_case_name and 2 * 3 * 4')]);
    expect(parseInline('`open')).toEqual([text('`open')]);
  });

  it('links keep only safe targets; images become alt text; raw HTML stays text', () => {
    expect(parseInline('[ok](https://example.com "t") [bad](javascript:alert(1))')).toEqual([
      { type: 'link', href: 'https://example.com/', children: [text('ok')] },
      text(' '),
      { type: 'link', href: null, children: [text('bad')] },
    ]);
    expect(parseInline('![a cat](https://example.com/cat.png)')).toEqual([{ type: 'image', alt: 'a cat' }]);
    expect(parseInline('<img src=x onerror=alert(1)>')).toEqual([text('<img src=x onerror=alert(1)>')]);
    expect(parseInline('<script>alert(1)</script>')).toEqual([text('<script>alert(1)</script>')]);
  });

  it('autolinks and bare URLs, without trailing punctuation', () => {
    expect(parseInline('see https://example.com/a_(b). <mailto:x@y.z>')).toEqual([
      text('see '),
      { type: 'link', href: 'https://example.com/a_(b)', children: [text('https://example.com/a_(b)')] },
      text('. '),
      { type: 'link', href: 'mailto:x@y.z', children: [text('mailto:x@y.z')] },
    ]);
  });

  it('escapes and line breaks', () => {
    expect(parseInline('\\*not em\\*\nnext')).toEqual([text('*not em*'), { type: 'break' }, text('next')]);
  });
});

describe('parseMarkdown', () => {
  it('headings, paragraphs, rules and fenced code', () => {
    expect(parseMarkdown('# Title\n\nHello\nworld\n\n---\n```ts\nconst a = 1;\n\n<b>x</b>\n```')).toEqual([
      { type: 'heading', level: 1, inlines: [text('Title')] },
      { type: 'paragraph', inlines: [text('Hello'), { type: 'break' }, text('world')] },
      { type: 'rule' },
      { type: 'code', lang: 'ts', text: 'const a = 1;\n\n<b>x</b>' },
    ]);
  });

  it('an unclosed fence (a reply still streaming) runs to the end', () => {
    expect(parseMarkdown('```\nline')).toEqual([{ type: 'code', lang: '', text: 'line' }]);
  });

  it('lists: ordered, unordered, nested, with and without blank lines, interrupting a paragraph', () => {
    const blocks = parseMarkdown('Steps:\n1. one\n2. two\n   - a\n   - b\n\n3. three\n\n- x');
    expect(blocks).toEqual([
      { type: 'paragraph', inlines: [text('Steps:')] },
      {
        type: 'list',
        ordered: true,
        start: 1,
        items: [
          [{ type: 'paragraph', inlines: [text('one')] }],
          [
            { type: 'paragraph', inlines: [text('two')] },
            {
              type: 'list',
              ordered: false,
              start: 1,
              items: [
                [{ type: 'paragraph', inlines: [text('a')] }],
                [{ type: 'paragraph', inlines: [text('b')] }],
              ],
            },
          ],
          [{ type: 'paragraph', inlines: [text('three')] }],
        ],
      },
      { type: 'list', ordered: false, start: 1, items: [[{ type: 'paragraph', inlines: [text('x')] }]] },
    ]);
  });

  it('block quotes and tables', () => {
    expect(parseMarkdown('> quoted\n> **bold**')).toEqual([
      {
        type: 'quote',
        blocks: [
          {
            type: 'paragraph',
            inlines: [text('quoted'), { type: 'break' }, { type: 'strong', children: [text('bold')] }],
          },
        ],
      },
    ]);
    expect(parseMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 \\| 3 |\n| 4 |')).toEqual([
      {
        type: 'table',
        align: ['left', 'right'],
        header: [[text('a')], [text('b')]],
        rows: [
          [[text('1')], [text('2 | 3')]],
          [[text('4')], []],
        ],
      },
    ]);
  });

  it('HTML blocks are plain paragraphs of text', () => {
    expect(parseMarkdown('<div onclick="x()">hi</div>')).toEqual([
      { type: 'paragraph', inlines: [text('<div onclick="x()">hi</div>')] },
    ]);
  });
});
