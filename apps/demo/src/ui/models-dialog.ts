/**
 * The model picker: every model with its download size, whether it is on this device, a progress bar
 * while it downloads, and buttons to download, cancel, delete and choose it; below, the runtime in use
 * and the storage models take. Rows are updated in place so focus survives progress updates.
 */
import type { StorageUsage } from '@cinder/model-store';
import type { RuntimeInfo } from '../engine/connect.ts';
import { memoryWarning } from '../models/memory.ts';
import type { ModelEntry } from '../models/models.ts';
import { byId, h, show } from './dom.ts';
import { formatBytes, percent } from './format.ts';

export interface ModelsDialogHandlers {
  choose(id: string): void;
  download(id: string): void;
  cancel(id: string): void;
  remove(id: string): void;
}

export interface ModelsView {
  readonly entries: readonly ModelEntry[];
  readonly selected: string | null;
  readonly storage: StorageUsage | null;
  readonly runtime: RuntimeInfo | null;
}

export function createModelsDialog(dialog: HTMLDialogElement, handlers: ModelsDialogHandlers) {
  const list = byId('model-list');
  const runtimeLine = byId('runtime-line');
  const storageLine = byId('storage-line');
  const rows = new Map<string, ReturnType<typeof createRow>>();

  byId('models-close').addEventListener('click', () => dialog.close());

  function render(view: ModelsView): void {
    for (const [index, entry] of view.entries.entries()) {
      let row = rows.get(entry.model.id);
      if (!row) {
        row = createRow(entry, handlers);
        rows.set(entry.model.id, row);
      }
      row.update(entry, view.selected === entry.model.id, view.runtime?.backend ?? null);
      if (list.children[index] !== row.element) list.insertBefore(row.element, list.children[index] ?? null);
    }
    runtimeLine.textContent = view.runtime ? runtimeText(view.runtime) : 'Runtime: starting…';
    storageLine.textContent = view.storage ? storageText(view.storage) : '';
  }

  return {
    open(view: ModelsView): void {
      render(view);
      if (!dialog.open) dialog.showModal();
      const selected = list.querySelector<HTMLInputElement>('input:checked') ?? list.querySelector('input');
      selected?.focus();
    },
    isOpen: () => dialog.open,
    render,
  };
}

function createRow(entry: ModelEntry, handlers: ModelsDialogHandlers) {
  const { id } = entry.model;
  const inputId = `model-${id.replace(/[^\w-]/g, '_')}`;
  const radio = h('input', { type: 'radio', name: 'model', id: inputId, value: id });
  radio.addEventListener('change', () => radio.checked && handlers.choose(id));
  const meta = h('span', { class: 'model-meta', id: `${inputId}-meta` });
  radio.setAttribute('aria-describedby', meta.id);
  const progress = h('progress', { max: 1, value: 0, 'aria-label': `Download of ${entry.model.label}` });
  const warning = h('p', { class: 'model-warning' });
  const error = h('p', { class: 'model-error', role: 'alert' });
  const download = h('button', { type: 'button', onclick: () => handlers.download(id) }, 'Download');
  const cancel = h('button', { type: 'button', onclick: () => handlers.cancel(id) }, 'Cancel');
  const remove = h(
    'button',
    { type: 'button', class: 'danger', onclick: () => handlers.remove(id) },
    'Delete',
  );
  for (const button of [download, cancel, remove]) button.setAttribute('aria-describedby', meta.id);
  const element = h(
    'li',
    { class: 'model-row' },
    h(
      'div',
      { class: 'model-main' },
      h('div', { class: 'model-title' }, radio, h('label', { for: inputId }, entry.model.label)),
      meta,
      h('p', { class: 'model-desc' }, entry.model.description),
      progress,
      warning,
      error,
    ),
    h('div', { class: 'model-buttons' }, download, cancel, remove),
  );

  return {
    element,
    update(current: ModelEntry, selected: boolean, backend: string | null): void {
      const { status } = current;
      radio.checked = selected;
      element.classList.toggle('selected', selected);
      element.dataset.status = status.kind;
      const webllm = current.model.origin === 'webllm';
      const source = webllm ? 'WebLLM' : current.model.origin === 'hub' ? 'Hugging Face Hub' : 'Built in';
      const runs =
        current.runtime && current.runtime !== 'auto' && !webllm ? ` · runs on ${current.runtime}` : '';
      meta.textContent = `${formatBytes(current.bytes)} · ${source}${runs} · ${statusText(current)}`;
      show(progress, status.kind === 'downloading' || status.kind === 'partial');
      if (status.kind === 'downloading') progress.value = status.total ? status.loaded / status.total : 0;
      if (status.kind === 'partial') progress.value = current.bytes ? status.stored / current.bytes : 0;
      const tooLarge =
        status.kind === 'ready'
          ? null
          : memoryWarning(
              { bytes: current.bytes, format: current.model.gguf ? 'gguf' : 'safetensors' },
              webllm ? 'webgpu' : backend,
            );
      warning.textContent = tooLarge ?? '';
      show(warning, tooLarge !== null);
      error.textContent = current.error ? `${current.error.title}. ${current.error.message}` : '';
      show(error, current.error !== null);
      download.textContent = status.kind === 'partial' ? 'Resume' : 'Download';
      // WebLLM fetches a model's files as the engine loads it (choosing it starts that).
      show(download, !webllm && (status.kind === 'absent' || status.kind === 'partial'));
      show(cancel, status.kind === 'downloading');
      show(remove, status.kind === 'ready' || status.kind === 'partial');
    },
  };
}

export function statusText(entry: ModelEntry): string {
  const { status } = entry;
  switch (status.kind) {
    case 'ready':
      return 'On this device';
    case 'downloading':
      return `Downloading ${percent(status.loaded, status.total)} (${formatBytes(status.loaded)} of ${formatBytes(status.total)})`;
    case 'partial':
      return `Paused at ${percent(status.stored, entry.bytes)}`;
    case 'absent':
      if (entry.model.origin === 'webllm') return 'Downloads when first loaded';
      return entry.error ? 'Download failed' : 'Not downloaded';
  }
}

function runtimeText(runtime: RuntimeInfo): string {
  if (runtime.backend === 'webgpu') return 'Runtime: WebGPU (your graphics processor).';
  if (runtime.backend === 'wllama') {
    const why = runtime.reason.split(';')[0];
    return `Runtime: wllama (llama.cpp in WebAssembly, on the CPU: ${why}). Small models work best.`;
  }
  return `Runtime: CPU (${runtime.reason}). Replies are slower than on WebGPU; small models work best.`;
}

function storageText(storage: StorageUsage): string {
  const parts = [`Models on this device: ${formatBytes(storage.bytes)}.`];
  if (storage.quota) {
    parts.push(
      `This site may store up to ${formatBytes(storage.quota)} (${formatBytes(storage.usage)} used).`,
    );
  }
  parts.push(storage.persisted ? 'Storage is persistent.' : 'The browser may clear it when space runs low.');
  return parts.join(' ');
}
