/**
 * Markdown blocks to DOM, built only with createElement and textContent: no string of model output
 * ever becomes markup, so it can neither run script nor load anything. Links are the one element
 * with a URL, and only when safe-url.ts allowed it; images are shown as their alt text.
 */
import { parseMarkdown } from './parse-blocks.ts';
import type { Block, Inline } from './types.ts';

/** Replaces `target`'s children with the rendering of `markdown`. */
export function renderMarkdown(target: HTMLElement, markdown: string): void {
  const fragment = document.createDocumentFragment();
  for (const block of parseMarkdown(markdown)) fragment.append(renderBlock(block));
  target.replaceChildren(fragment);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, ...children: (Node | string)[]) {
  const element = document.createElement(tag);
  element.append(...children); // strings become text nodes
  return element;
}

function renderBlock(block: Block): Node {
  switch (block.type) {
    case 'paragraph':
      return el('p', ...renderInlines(block.inlines));
    case 'heading':
      // Inside a message, headings are one level below the page's own (h3..h6).
      return el(`h${Math.min(block.level + 2, 6)}` as 'h3', ...renderInlines(block.inlines));
    case 'code': {
      const code = el('code', block.text);
      if (block.lang) code.dataset.lang = block.lang;
      return el('pre', code);
    }
    case 'quote':
      return el('blockquote', ...block.blocks.map(renderBlock));
    case 'list': {
      const list = el(block.ordered ? 'ol' : 'ul', ...block.items.map(renderItem));
      if (block.ordered && block.start !== 1) list.setAttribute('start', String(block.start));
      return list;
    }
    case 'table': {
      const head = el(
        'tr',
        ...block.header.map((cell, i) => aligned(el('th', ...renderInlines(cell)), block.align[i])),
      );
      const rows = block.rows.map((row) =>
        el('tr', ...row.map((cell, i) => aligned(el('td', ...renderInlines(cell)), block.align[i]))),
      );
      const table = el('table', el('thead', head), el('tbody', ...rows));
      const wrap = el('div', table);
      wrap.className = 'table-scroll';
      return wrap;
    }
    case 'rule':
      return el('hr');
  }
}

/** A list item whose first block is a paragraph shows that paragraph's text directly (tight lists). */
function renderItem(blocks: Block[]): HTMLLIElement {
  const [first, ...rest] = blocks;
  if (first?.type === 'paragraph') return el('li', ...renderInlines(first.inlines), ...rest.map(renderBlock));
  return el('li', ...blocks.map(renderBlock));
}

function aligned(cell: HTMLTableCellElement, align: string | null): HTMLTableCellElement {
  if (align) cell.style.textAlign = align;
  return cell;
}

function renderInlines(inlines: readonly Inline[]): (Node | string)[] {
  return inlines.map(renderInline);
}

function renderInline(inline: Inline): Node | string {
  switch (inline.type) {
    case 'text':
      return inline.text;
    case 'code':
      return el('code', inline.text);
    case 'break':
      return el('br');
    case 'strong':
    case 'em':
    case 'del':
      return el(inline.type, ...renderInlines(inline.children));
    case 'image': {
      const span = el('span', `[image${inline.alt ? `: ${inline.alt}` : ''}]`);
      span.className = 'md-image';
      span.title = 'Images in replies are not loaded';
      return span;
    }
    case 'link': {
      if (inline.href === null) {
        const span = el('span', ...renderInlines(inline.children));
        span.className = 'md-blocked-link';
        span.title = 'Link removed: only http, https and mailto links are allowed';
        return span;
      }
      const a = el('a', ...renderInlines(inline.children));
      a.href = inline.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer nofollow';
      a.referrerPolicy = 'no-referrer';
      return a;
    }
  }
}
