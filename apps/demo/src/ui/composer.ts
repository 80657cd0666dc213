/**
 * The message box: Enter sends, Shift+Enter starts a new line, it grows with its text; while a reply
 * is being written the Send button becomes Stop (Esc stops too, see main.ts).
 */
export interface ComposerElements {
  readonly form: HTMLFormElement;
  readonly field: HTMLTextAreaElement;
  readonly send: HTMLButtonElement;
  readonly stop: HTMLButtonElement;
}

export interface ComposerHandlers {
  send(text: string): void;
  stop(): void;
}

const MAX_HEIGHT_PX = 200;

export function createComposer(elements: ComposerElements, handlers: ComposerHandlers) {
  const { form, field, send, stop } = elements;
  let streaming = false;

  const fit = () => {
    field.style.height = 'auto';
    field.style.height = `${Math.min(field.scrollHeight, MAX_HEIGHT_PX)}px`;
  };
  const submit = () => {
    const text = field.value;
    if (streaming || !text.trim()) return;
    field.value = '';
    fit();
    handlers.send(text);
  };

  field.addEventListener('input', fit);
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  stop.addEventListener('click', () => {
    handlers.stop();
    field.focus();
  });

  return {
    setStreaming(value: boolean): void {
      if (value === streaming) return;
      streaming = value;
      const hadFocus = document.activeElement === send || document.activeElement === stop;
      send.hidden = value;
      stop.hidden = !value;
      if (hadFocus) (value ? stop : field).focus();
    },
    fill(text: string): void {
      field.value = text;
      fit();
      field.focus();
    },
    focus: () => field.focus(),
  };
}
