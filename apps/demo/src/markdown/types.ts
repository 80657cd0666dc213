/** The Markdown subset we render, as plain data: the parser builds it, the renderer turns it into DOM. */

export type Inline =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'code'; readonly text: string }
  | { readonly type: 'break' }
  | { readonly type: 'strong' | 'em' | 'del'; readonly children: Inline[] }
  /** `href` is null when the target is not allowed (see safe-url.ts): the text stays, the link goes. */
  | { readonly type: 'link'; readonly href: string | null; readonly children: Inline[] }
  /** Images are never loaded from model output; the renderer shows the alt text. */
  | { readonly type: 'image'; readonly alt: string };

export type Align = 'left' | 'center' | 'right' | null;

export type Block =
  | { readonly type: 'paragraph'; readonly inlines: Inline[] }
  | { readonly type: 'heading'; readonly level: number; readonly inlines: Inline[] }
  | { readonly type: 'code'; readonly lang: string; readonly text: string }
  | { readonly type: 'quote'; readonly blocks: Block[] }
  | { readonly type: 'list'; readonly ordered: boolean; readonly start: number; readonly items: Block[][] }
  | {
      readonly type: 'table';
      readonly align: Align[];
      readonly header: Inline[][];
      readonly rows: Inline[][][];
    }
  | { readonly type: 'rule' };
