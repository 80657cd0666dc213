/** The header's one-line summary of the chosen model: downloaded? loading? ready? */

import { percent } from '../ui/format.ts';
import type { ModelBadge } from '../ui/model-button.ts';
import type { LoadState } from './engine-loads.ts';
import type { ModelEntry } from './models.ts';

export function modelBadge(id: string | null, entry: ModelEntry | null, load: LoadState | null): ModelBadge {
  if (!id) return { label: 'No model', state: 'Choose a model', tone: 'idle', progress: null };
  const label = entry?.model.label ?? id;
  if (!entry) return { label, state: 'Unknown model', tone: 'error', progress: null };
  // A WebLLM model downloads as the engine loads it: its load state tells.
  const status = entry.model.origin === 'webllm' && load ? { kind: 'ready' as const } : entry.status;
  switch (status.kind) {
    case 'downloading':
      return {
        label,
        state: `Downloading ${percent(status.loaded, status.total)}`,
        tone: 'busy',
        progress: status.total ? status.loaded / status.total : 0,
      };
    case 'partial':
      return {
        label,
        state: entry.error ? 'Download failed' : 'Download paused',
        tone: entry.error ? 'error' : 'idle',
        progress: null,
      };
    case 'absent':
      return {
        label,
        state: entry.error ? 'Download failed' : 'Not downloaded',
        tone: entry.error ? 'error' : 'idle',
        progress: null,
      };
    case 'ready':
      if (load?.kind === 'loading') {
        const { loaded, total } = load.progress;
        const what = entry.status.kind === 'ready' ? 'Loading' : 'Downloading and loading';
        return {
          label,
          state: `${what} ${percent(loaded, total)}`,
          tone: 'busy',
          progress: total ? loaded / total : 0,
        };
      }
      if (load?.kind === 'failed') return { label, state: 'Could not load', tone: 'error', progress: null };
      return {
        label,
        state: load?.kind === 'loaded' ? 'Ready' : 'On this device',
        tone: 'ready',
        progress: null,
      };
  }
}
