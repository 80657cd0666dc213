/**
 * The conversation's messages, updated in place (each message keeps its element, so a streaming reply
 * only re-renders itself and an edit box keeps its text), scrolled to the end while the reader is
 * there. An empty conversation shows a welcome with a few things to try.
 */
import type { Conversation } from '../chat/conversations.ts';
import { h } from './dom.ts';
import { createMessageView, type MessageHandlers, type MessageView } from './message-view.ts';

/** Things the built-in model (cinder-tiny-chat: stories, animals, colors, easy math) does well. */
const SUGGESTIONS = [
  'Tell me a short story about a brave little fox.',
  'What color is the sky?',
  'Hi! Who are you?',
];

export function createMessageList(
  container: HTMLElement,
  handlers: MessageHandlers & { suggest(text: string): void },
) {
  const views = new Map<string, MessageView>();
  let shownConversation: string | null | undefined;

  const welcome = h(
    'div',
    { class: 'welcome' },
    h('h2', {}, 'Chat with a model that runs on this device'),
    h('p', {}, 'Nothing you type leaves your browser. Try one of these, or write your own:'),
    h(
      'ul',
      { class: 'suggestions' },
      ...SUGGESTIONS.map((text) =>
        h(
          'li',
          {},
          h('button', { type: 'button', class: 'suggestion', onclick: () => handlers.suggest(text) }, text),
        ),
      ),
    ),
  );

  return {
    render(conversation: Conversation | null, streamingId: string | null): void {
      const id = conversation?.id ?? null;
      if (id !== shownConversation) {
        views.clear();
        container.replaceChildren();
        shownConversation = id;
      }
      const messages = conversation?.messages ?? [];
      if (!messages.length) {
        if (container.firstChild !== welcome) container.replaceChildren(welcome);
        views.clear();
        return;
      }
      if (container.firstChild === welcome) welcome.remove();

      const atBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 80;
      const keep = new Set(messages.map((message) => message.id));
      for (const [key, view] of views) {
        if (!keep.has(key)) {
          view.element.remove();
          views.delete(key);
        }
      }
      messages.forEach((message, index) => {
        let view = views.get(message.id);
        if (!view) {
          view = createMessageView(message, handlers);
          views.set(message.id, view);
        }
        view.update(message, {
          streaming: message.id === streamingId,
          busy: streamingId !== null,
          last: index === messages.length - 1,
        });
        const at = container.children[index];
        if (at !== view.element) container.insertBefore(view.element, at ?? null);
      });
      if (atBottom) container.scrollTop = container.scrollHeight;
    },
  };
}
