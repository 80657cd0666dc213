/** The sidebar's list of conversations: open one, delete one. Rebuilt only when the list changes. */
import type { ConversationSummary } from '../chat/conversations.ts';
import { h } from './dom.ts';

export interface ConversationListHandlers {
  open(id: string): void;
  remove(id: string): void;
}

export function createConversationList(list: HTMLElement, handlers: ConversationListHandlers) {
  let shown = '';
  return {
    render(conversations: readonly ConversationSummary[], currentId: string | null): void {
      const key = JSON.stringify([conversations.map((item) => [item.id, item.title]), currentId]);
      if (key === shown) return;
      shown = key;
      // Keep keyboard focus on the same conversation across the rebuild.
      const focused = list.contains(document.activeElement) ? (document.activeElement as HTMLElement) : null;
      const focusKey = focused ? `${focused.dataset.id}:${focused.className}` : null;

      if (!conversations.length) {
        list.replaceChildren(h('li', { class: 'empty' }, 'No conversations yet.'));
        return;
      }
      list.replaceChildren(
        ...conversations.map((item) => {
          const current = item.id === currentId;
          return h(
            'li',
            { class: current ? 'current' : '' },
            h(
              'button',
              {
                type: 'button',
                class: 'conversation',
                'data-id': item.id,
                'aria-current': current ? 'true' : null,
                title: item.title,
                onclick: () => handlers.open(item.id),
              },
              item.title,
            ),
            h(
              'button',
              {
                type: 'button',
                class: 'delete-conversation',
                'data-id': item.id,
                'aria-label': `Delete conversation: ${item.title}`,
                title: 'Delete conversation',
                onclick: () => handlers.remove(item.id),
              },
              '×',
            ),
          );
        }),
      );
      if (focusKey) {
        for (const button of list.querySelectorAll<HTMLElement>('button')) {
          if (`${button.dataset.id}:${button.className}` === focusKey) button.focus();
        }
      }
    },
  };
}
