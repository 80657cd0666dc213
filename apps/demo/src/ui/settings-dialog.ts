/** The settings form (in index.html): filled from the saved settings on open, checked and saved on submit. */
import { clampSetting, DEFAULT_SETTINGS, LIMITS, parseExtraParams, type Settings } from '../chat/settings.ts';
import { byId } from './dom.ts';

export interface SettingsDialogHandlers {
  current(): Settings;
  save(settings: Settings): void;
}

export function createSettingsDialog(dialog: HTMLDialogElement, handlers: SettingsDialogHandlers) {
  const form = byId<HTMLFormElement>('settings-form');
  const field = <T extends HTMLElement = HTMLInputElement>(name: string) => byId<T>(`setting-${name}`);
  const systemPrompt = field<HTMLTextAreaElement>('system-prompt');
  const temperature = field('temperature');
  const topP = field('top-p');
  const maxTokens = field('max-tokens');
  const extra = field<HTMLTextAreaElement>('extra');
  const hubToken = field('hub-token');
  const problem = byId('settings-error');

  for (const [input, limit] of [
    [temperature, LIMITS.temperature],
    [topP, LIMITS.topP],
    [maxTokens, LIMITS.maxTokens],
  ] as const) {
    input.min = String(limit.min);
    input.max = String(limit.max);
    input.step = String(limit.step);
  }

  function fill(settings: Settings) {
    systemPrompt.value = settings.systemPrompt;
    temperature.value = String(settings.temperature);
    topP.value = String(settings.topP);
    maxTokens.value = String(settings.maxTokens);
    extra.value = settings.extraParams;
    hubToken.value = settings.hubToken;
    problem.hidden = true;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    try {
      parseExtraParams(extra.value);
    } catch (cause) {
      problem.textContent = (cause as Error).message;
      problem.hidden = false;
      extra.focus();
      return;
    }
    const before = handlers.current();
    handlers.save({
      ...before,
      systemPrompt: systemPrompt.value,
      temperature: clampSetting(temperature.valueAsNumber, LIMITS.temperature, before.temperature),
      topP: clampSetting(topP.valueAsNumber, LIMITS.topP, before.topP),
      maxTokens: Math.round(clampSetting(maxTokens.valueAsNumber, LIMITS.maxTokens, before.maxTokens)),
      extraParams: extra.value.trim(),
      hubToken: hubToken.value.trim(),
    });
    dialog.close();
  });
  byId('settings-cancel').addEventListener('click', () => dialog.close());
  byId('settings-reset').addEventListener('click', () =>
    fill({ ...DEFAULT_SETTINGS, model: handlers.current().model, hubToken: handlers.current().hubToken }),
  );

  return {
    open(): void {
      fill(handlers.current());
      dialog.showModal();
      systemPrompt.focus();
    },
  };
}
