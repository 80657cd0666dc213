/**
 * One message on screen. User messages are plain text (and can be edited and resent); replies are
 * Markdown rendered safely (markdown/render.ts), with the model's reasoning folded away, how the
 * reply ended, time to first token and tokens/s underneath, and an error box when it failed.
 */
import type { Message } from '../chat/conversations.ts';
import type { ErrorAction } from '../errors.ts';
import { renderMarkdown } from '../markdown/render.ts';
import { append, h, show } from './dom.ts';
import { formatDuration, formatRate } from './format.ts';

export interface MessageHandlers {
  regenerate(): void;
  editAndResend(id: string, text: string): void;
  action(kind: ErrorAction): void;
  modelLabel(id: string): string;
}

export interface MessageFlags {
  readonly streaming: boolean;
  /** Another reply is being written: editing and regenerating wait. */
  readonly busy: boolean;
  readonly last: boolean;
}

export const ACTION_LABELS: Record<ErrorAction, string> = {
  models: 'Open the model picker',
  settings: 'Open settings',
  reload: 'Reload the page',
  retry: 'Try again',
};

export function createMessageView(message: Message, handlers: MessageHandlers) {
  const isUser = message.role === 'user';
  const author = h('span', { class: 'author' }, isUser ? 'You' : 'Assistant');
  const content = h('div', { class: isUser ? 'content plain' : 'content markdown' });
  const reasoningText = h('div', { class: 'reasoning-text' });
  const reasoning = h(
    'details',
    { class: 'reasoning', hidden: true },
    h('summary', {}, 'Reasoning'),
    reasoningText,
  );
  const errorBox = h('div', { class: 'error-box', role: 'alert', hidden: true });
  const stats = h('p', { class: 'stats' });
  const actions = h('div', { class: 'actions' });
  const element = h(
    'article',
    { class: `message ${message.role}`, 'data-id': message.id },
    h('header', {}, author),
    reasoning,
    content,
    errorBox,
    h('footer', {}, stats, actions),
  );

  const shown = { content: '', reasoning: '', error: '', footer: '' };
  let editing = false;

  function startEdit(current: Message) {
    editing = true;
    const field = h('textarea', { class: 'edit-field', rows: 3, 'aria-label': 'Edit your message' });
    field.value = current.content;
    const submit = () => {
      editing = false;
      handlers.editAndResend(current.id, field.value);
    };
    const cancel = () => {
      editing = false;
      content.replaceChildren(current.content);
      update(current, lastFlags, true);
    };
    field.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape') {
        event.stopPropagation();
        cancel();
      }
    });
    content.replaceChildren(
      field,
      h(
        'div',
        { class: 'edit-buttons' },
        h('button', { type: 'button', class: 'primary', onclick: submit }, 'Save and send'),
        h('button', { type: 'button', onclick: cancel }, 'Cancel'),
      ),
    );
    actions.replaceChildren();
    field.focus();
  }

  let lastFlags: MessageFlags = { streaming: false, busy: false, last: false };

  function update(current: Message, flags: MessageFlags, force = false) {
    lastFlags = flags;
    element.classList.toggle('streaming', flags.streaming);
    element.setAttribute('aria-busy', String(flags.streaming));
    if (!isUser && current.model) author.textContent = handlers.modelLabel(current.model);
    if (editing) return;

    if (force || current.content !== shown.content) {
      if (isUser) content.textContent = current.content;
      else renderMarkdown(content, current.content);
      shown.content = current.content;
    }
    if ((current.reasoning ?? '') !== shown.reasoning) {
      reasoningText.textContent = current.reasoning ?? '';
      shown.reasoning = current.reasoning ?? '';
      show(reasoning, Boolean(current.reasoning));
    }

    const errorKey = current.error ? `${current.error.title}\n${current.error.message}` : '';
    if (errorKey !== shown.error) {
      shown.error = errorKey;
      show(errorBox, Boolean(current.error));
      errorBox.replaceChildren();
      if (current.error) {
        const { action } = current.error;
        append(errorBox, [
          h('strong', {}, current.error.title),
          h('p', {}, current.error.message),
          action &&
            h('button', { type: 'button', onclick: () => handlers.action(action) }, ACTION_LABELS[action]),
        ]);
      }
    }

    const footerKey = `${statsText(current)}|${flags.busy}|${flags.last}`;
    if (force || footerKey !== shown.footer) {
      shown.footer = footerKey;
      stats.textContent = statsText(current);
      actions.replaceChildren();
      if (isUser && !flags.busy) {
        actions.append(
          h('button', { type: 'button', class: 'link-button', onclick: () => startEdit(current) }, 'Edit'),
        );
      }
      if (!isUser && flags.last && !flags.busy) {
        actions.append(
          h('button', { type: 'button', class: 'link-button', onclick: handlers.regenerate }, 'Regenerate'),
        );
        if (current.content) {
          actions.append(
            h(
              'button',
              {
                type: 'button',
                class: 'link-button',
                onclick: () => void navigator.clipboard?.writeText(current.content),
              },
              'Copy',
            ),
          );
        }
      }
    }
  }

  update(message, lastFlags, true);
  return { element, update };
}

export type MessageView = ReturnType<typeof createMessageView>;

function statsText(message: Message): string {
  if (message.role === 'user') return '';
  const parts: string[] = [];
  if (message.finish === 'streaming')
    parts.push(message.content || message.reasoning ? 'Writing…' : 'Waiting for the first token…');
  if (message.stats) {
    parts.push(`First token ${formatDuration(message.stats.ttftMs)}`);
    if (message.stats.tokensPerSecond !== null) parts.push(formatRate(message.stats.tokensPerSecond));
    parts.push(`${message.stats.tokens} tokens`);
  }
  if (message.finish === 'stopped') parts.push('Stopped');
  if (message.finish === 'length') parts.push('Cut off at the max tokens setting');
  return parts.join(' · ');
}
