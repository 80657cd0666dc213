/**
 * An engine whose models come and go: one `createEngine` per loaded model, routed by the request's
 * `model`. It adds what a browser app needs on top of the OpenAI surface: load with progress, unload,
 * list what is loaded, delete. A request for a catalog model that is not loaded loads it first.
 */
import {
  createEngine,
  type Engine,
  type LoadedModelInfo,
  type LoadProgress,
  type LocalEngine,
  type RequestOptions,
  type RuntimeFactory,
  type RuntimeLoadOptions,
  type SchedulerOptions,
} from '@cinder/engine';
import { ApiError, buildModelList, buildModelObject, validateChatCompletionRequest } from '@cinder/protocol';
import type { ModelControls } from './api.ts';
import type { ModelCatalog } from './model-catalog.ts';

export interface ModelHostOptions {
  readonly runtime: RuntimeFactory;
  readonly catalog: ModelCatalog;
  readonly loadOptions?: Omit<RuntimeLoadOptions, 'onProgress' | 'signal'>;
  readonly scheduler?: SchedulerOptions;
  /** `owned_by` of listed models. Default `cinder`. */
  readonly ownedBy?: string;
}

export interface ModelHost extends Engine, ModelControls {}

interface Slot {
  readonly engine: LocalEngine;
  readonly ready: Promise<LoadedModelInfo>;
  readonly listeners: Set<(progress: LoadProgress) => void>;
  info?: LoadedModelInfo;
}

export function createModelHost(options: ModelHostOptions): ModelHost {
  const slots = new Map<string, Slot>();
  const ownedBy = options.ownedBy ?? 'cinder';
  const createdAt = Math.floor(Date.now() / 1000);

  async function slotFor(id: string): Promise<Slot> {
    const existing = slots.get(id);
    if (existing) return existing;
    const source = await options.catalog.source(id);
    if (!source) throw notFound(id);
    const raced = slots.get(id); // another caller got here during the await
    if (raced) return raced;
    const listeners = new Set<(progress: LoadProgress) => void>();
    const onProgress = (progress: LoadProgress) => {
      for (const listener of listeners) listener(progress);
    };
    const engine = createEngine({
      models: [{ source, runtime: options.runtime, loadOptions: { ...options.loadOptions, onProgress } }],
      ownedBy,
      scheduler: options.scheduler,
    });
    const slot: Slot = { engine, listeners, ready: engine.loadModel(source.id) };
    slots.set(id, slot);
    slot.ready.then(
      (info) => {
        slot.info = info;
        listeners.clear();
      },
      () => {
        if (slots.get(id) === slot) slots.delete(id);
      },
    );
    return slot;
  }

  async function load(id: string, loadOptions: { onProgress?: (progress: LoadProgress) => void } = {}) {
    const slot = await slotFor(id);
    if (loadOptions.onProgress && !slot.info) slot.listeners.add(loadOptions.onProgress);
    try {
      return await slot.ready;
    } finally {
      if (loadOptions.onProgress) slot.listeners.delete(loadOptions.onProgress);
    }
  }

  async function unload(id: string): Promise<boolean> {
    const slot = slots.get(id);
    if (!slot) return false;
    slots.delete(id);
    await slot.ready.catch(() => {});
    await slot.engine.dispose();
    return true;
  }

  async function knownIds(): Promise<string[]> {
    return [...new Set([...(await options.catalog.list()), ...slots.keys()])];
  }

  return {
    chat: {
      completions: {
        async create(params: unknown, requestOptions?: RequestOptions) {
          requestOptions?.signal?.throwIfAborted();
          const { model } = validateChatCompletionRequest(params);
          const slot = await slotFor(model);
          await slot.ready;
          return slot.engine.chat.completions.create(params, requestOptions);
        },
      },
    },
    models: {
      async list() {
        return buildModelList(
          (await knownIds()).map((id) => buildModelObject(id, { created: createdAt, owned_by: ownedBy })),
        );
      },
      async retrieve(id) {
        if (!(await knownIds()).includes(id)) throw notFound(id);
        return buildModelObject(id, { created: createdAt, owned_by: ownedBy });
      },
    },
    load,
    unload,
    loaded: () => [...slots.values()].flatMap((slot) => (slot.info ? [slot.info] : [])),
    async delete(id) {
      await unload(id);
      await options.catalog.delete?.(id);
    },
    async dispose() {
      for (const id of [...slots.keys()]) await unload(id);
    },
  };
}

function notFound(id: string): ApiError {
  return new ApiError(404, `The model '${id}' does not exist or you do not have access to it.`, {
    param: 'model',
    code: 'model_not_found',
  });
}
