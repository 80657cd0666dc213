/**
 * Block Markdown, line by line: paragraphs, ATX headings, fenced code, block quotes, lists (nested by
 * indentation), GFM tables and rules. Raw HTML blocks are not a thing here: they are paragraphs of
 * literal text. Built for chat replies, and re-run on every streamed chunk, so it is one linear pass.
 */
import { parseInline } from './parse-inline.ts';
import type { Align, Block, Inline } from './types.ts';

const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+|$)(.*)$/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

export function parseMarkdown(source: string): Block[] {
  return parseBlocks(source.replace(/\r\n?/g, '\n').split('\n'));
}

const isBlank = (line: string) => line.trim() === '';
const indentOf = (line: string) => /^ */.exec(line.replace(/\t/g, '    '))![0].length;

function startsBlock(lines: readonly string[], i: number): boolean {
  const line = lines[i];
  return (
    FENCE.test(line) ||
    HEADING.test(line) ||
    RULE.test(line) ||
    QUOTE.test(line) ||
    LIST_ITEM.test(line) ||
    isTableStart(lines, i)
  );
}

function parseBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (isBlank(line)) {
      i++;
      continue;
    }

    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1];
      const body: string[] = [];
      const indent = indentOf(line);
      for (i++; i < lines.length && !isClosingFence(lines[i], marker); i++) {
        body.push(lines[i].replace(new RegExp(`^ {0,${indent}}`), ''));
      }
      i++;
      blocks.push({ type: 'code', lang: fence[2], text: body.join('\n') });
      continue;
    }

    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ type: 'heading', level: heading[1].length, inlines: parseInline(heading[2] ?? '') });
      i++;
      continue;
    }

    if (RULE.test(line)) {
      blocks.push({ type: 'rule' });
      i++;
      continue;
    }

    if (QUOTE.test(line)) {
      const inner: string[] = [];
      for (; i < lines.length && QUOTE.test(lines[i]); i++) inner.push(lines[i].replace(QUOTE, ''));
      blocks.push({ type: 'quote', blocks: parseBlocks(inner) });
      continue;
    }

    if (LIST_ITEM.test(line)) {
      i = parseList(lines, i, blocks);
      continue;
    }

    if (isTableStart(lines, i)) {
      i = parseTable(lines, i, blocks);
      continue;
    }

    const paragraph = [line.trim()];
    for (i++; i < lines.length && !isBlank(lines[i]) && !startsBlock(lines, i); i++) {
      paragraph.push(lines[i].trim());
    }
    blocks.push({ type: 'paragraph', inlines: parseInline(paragraph.join('\n')) });
  }
  return blocks;
}

function isClosingFence(line: string, marker: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= marker.length && trimmed === marker[0].repeat(trimmed.length);
}

/** One list, from `lines[start]`; returns the index after it. */
function parseList(lines: readonly string[], start: number, blocks: Block[]): number {
  const first = LIST_ITEM.exec(lines[start])!;
  const ordered = /\d/.test(first[2]);
  const items: Block[][] = [];
  let i = start;
  while (i < lines.length) {
    const item = LIST_ITEM.exec(lines[i]);
    if (!item || /\d/.test(item[2]) !== ordered) break;
    // Continuation lines are indented to the item's text (a marker followed by 5+ spaces counts as 1).
    const gap = item[3].length > 4 || item[4] === '' ? 1 : item[3].length;
    const offset = item[1].length + item[2].length + gap;
    const body = [item[4]];
    for (i++; i < lines.length; i++) {
      const line = lines[i];
      if (isBlank(line)) {
        const next = nextNonBlank(lines, i);
        if (next === -1 || indentOf(lines[next]) < offset) break;
        body.push('');
      } else if (indentOf(line) >= offset) {
        body.push(line.replace(/\t/g, '    ').slice(offset));
      } else if (!startsBlock(lines, i) && !isBlank(body[body.length - 1])) {
        body.push(line.trim()); // a lazy continuation of the item's paragraph
      } else break;
    }
    items.push(parseBlocks(body));
    // Blank lines between two items of the same list keep the list going.
    const next = nextNonBlank(lines, i);
    if (next !== -1 && next > i && LIST_ITEM.test(lines[next]) && indentOf(lines[next]) < offset) i = next;
  }
  blocks.push({ type: 'list', ordered, start: ordered ? Number.parseInt(first[2], 10) : 1, items });
  return i;
}

function nextNonBlank(lines: readonly string[], from: number): number {
  for (let j = from; j < lines.length; j++) if (!isBlank(lines[j])) return j;
  return -1;
}

function isTableStart(lines: readonly string[], i: number): boolean {
  const header = lines[i];
  const delimiter = lines[i + 1];
  if (delimiter === undefined || !header.includes('|') || !TABLE_DELIMITER.test(delimiter)) return false;
  return delimiter.includes('|') && splitRow(header).length === splitRow(delimiter).length;
}

function parseTable(lines: readonly string[], start: number, blocks: Block[]): number {
  const header = splitRow(lines[start]).map(parseInline);
  const align = splitRow(lines[start + 1]).map((cell): Align => {
    const left = cell.startsWith(':');
    const right = cell.endsWith(':');
    return left && right ? 'center' : right ? 'right' : left ? 'left' : null;
  });
  const rows: Inline[][][] = [];
  let i = start + 2;
  for (; i < lines.length && lines[i].includes('|') && !isBlank(lines[i]); i++) {
    const cells = splitRow(lines[i]);
    rows.push(header.map((_, column) => parseInline(cells[column] ?? '')));
  }
  blocks.push({ type: 'table', align, header, rows });
  return i;
}

/** The cells of `| a | b \| c |`: split on unescaped pipes, outer pipes dropped, cells trimmed. */
function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = '';
  for (let j = 0; j < row.length; j++) {
    if (row[j] === '\\' && row[j + 1] === '|') {
      cell += '|';
      j++;
    } else if (row[j] === '|') {
      cells.push(cell.trim());
      cell = '';
    } else cell += row[j];
  }
  cells.push(cell.trim());
  return cells;
}
