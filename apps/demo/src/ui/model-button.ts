/** The header's model button: which model replies, and its state at a glance (with a progress bar). */
import { byId, show } from './dom.ts';

export interface ModelBadge {
  readonly label: string;
  readonly state: string;
  readonly tone: 'ready' | 'busy' | 'idle' | 'error';
  /** 0..1 while something is in progress. */
  readonly progress: number | null;
}

export function createModelButton(button: HTMLButtonElement) {
  const name = byId('model-name');
  const state = byId('model-state');
  const progress = byId<HTMLProgressElement>('model-progress');
  let shown = '';
  return {
    render(badge: ModelBadge): void {
      const key = JSON.stringify(badge);
      if (key === shown) return;
      shown = key;
      name.textContent = badge.label;
      state.textContent = badge.state;
      button.dataset.tone = badge.tone;
      button.setAttribute('aria-label', `Model: ${badge.label}, ${badge.state}. Open the model picker`);
      show(progress, badge.progress !== null);
      if (badge.progress !== null) progress.value = badge.progress;
    },
  };
}
