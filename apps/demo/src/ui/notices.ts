/** Banners above the conversation: the runtime in use, offline support, model problems. */
import type { ErrorAction, ErrorInfo } from '../errors.ts';
import { h } from './dom.ts';
import { ACTION_LABELS } from './message-view.ts';

export interface Notice extends ErrorInfo {
  readonly tone: 'info' | 'warning' | 'error';
  /** Can be closed; closing it is remembered by `onDismiss`. */
  readonly dismissible?: boolean;
}

export function createNotices(
  container: HTMLElement,
  handlers: { action(kind: ErrorAction): void; onDismiss(key: string): void },
) {
  const shown = new Map<string, HTMLElement>();
  return {
    show(key: string, notice: Notice): void {
      const { action } = notice;
      const element = h(
        'div',
        {
          class: `notice ${notice.tone}`,
          role: notice.tone === 'error' ? 'alert' : 'status',
          'data-key': key,
        },
        h('div', { class: 'notice-text' }, h('strong', {}, notice.title), ' ', notice.message),
        action
          ? h('button', { type: 'button', onclick: () => handlers.action(action) }, ACTION_LABELS[action])
          : null,
        notice.dismissible
          ? h(
              'button',
              {
                type: 'button',
                class: 'dismiss',
                'aria-label': 'Dismiss',
                onclick: () => {
                  this.hide(key);
                  handlers.onDismiss(key);
                },
              },
              '×',
            )
          : null,
      );
      const old = shown.get(key);
      if (old) old.replaceWith(element);
      else container.append(element);
      shown.set(key, element);
    },
    hide(key: string): void {
      shown.get(key)?.remove();
      shown.delete(key);
    },
  };
}
