/**
 * An engine whose models come and go: one engine per loaded model, routed by the request's `model`.
 * A catalog entry gives either the model's files (we start our engine on `runtime`) or an engine of
 * another runtime (WebLLM); both are served, listed, loaded and deleted the same way. On top of the
 * OpenAI surface it adds what a browser app needs: load with progress, unload, list what is loaded,
 * delete, storage used. A request for a catalog model that is not loaded loads it first.
 */
import {
  createEngine,
  type Engine,
  type LoadProgress,
  type RuntimeFactory,
  type RuntimeLoadOptions,
  type SchedulerOptions,
} from '@cinder/engine';
import type { ModelSource } from '@cinder/model-format';
import { ApiError, buildModelList, buildModelObject, validateChatCompletionRequest } from '@cinder/protocol';
import type { ModelControls } from './api.ts';
import type { CatalogModel, EngineLoadOptions, LoadedEngine, ModelCatalog } from './model-catalog.ts';

export interface ModelHostOptions {
  /** Runs the models whose catalog entry is their files (autoRuntime() in browsers). */
  readonly runtime: RuntimeFactory;
  readonly catalog: ModelCatalog;
  readonly loadOptions?: Omit<RuntimeLoadOptions, 'onProgress' | 'signal'>;
  readonly scheduler?: SchedulerOptions;
  /** `owned_by` of listed models. Default `cinder`. */
  readonly ownedBy?: string;
}

export interface ModelHost extends Engine, ModelControls {}

/** A `/v1/models` object with our extras: `runtime`, `size_bytes`, `cached`. */
type HostedModelObject = ReturnType<typeof buildModelObject>;

interface Slot {
  readonly ready: Promise<LoadedEngine>;
  readonly listeners: Set<(progress: LoadProgress) => void>;
  /** Aborted by an unload that comes before the load finished. */
  readonly controller: AbortController;
  loaded?: LoadedEngine;
}

/** autoRuntime(): its backend is `auto` until the choice is made. */
interface ChoosingRuntime extends RuntimeFactory {
  choice(): Promise<{ readonly runtime: RuntimeFactory }>;
}

export function createModelHost(options: ModelHostOptions): ModelHost {
  const slots = new Map<string, Slot>();
  const ownedBy = options.ownedBy ?? 'cinder';
  const createdAt = Math.floor(Date.now() / 1000);

  /** Our engine on `options.runtime`, serving the one model in `source`. */
  async function loadSource(source: ModelSource, load: EngineLoadOptions): Promise<LoadedEngine> {
    const engine = createEngine({
      models: [{ source, runtime: options.runtime, loadOptions: { ...options.loadOptions, ...load } }],
      ownedBy,
      scheduler: options.scheduler,
    });
    try {
      return { engine, info: await engine.loadModel(source.id) };
    } catch (cause) {
      await engine.dispose();
      throw cause;
    }
  }

  /** The model's slot, loading it when there is none; `listener` hears the progress of that load. */
  async function slotFor(id: string, listener?: (progress: LoadProgress) => void): Promise<Slot> {
    const existing = slots.get(id);
    if (existing) {
      if (listener && !existing.loaded) existing.listeners.add(listener);
      return existing;
    }
    const entry = await options.catalog.entry(id);
    if (!entry) throw notFound(id);
    const raced = slots.get(id); // another caller got here during the await
    if (raced) return slotFor(id, listener);
    const listeners = new Set<(progress: LoadProgress) => void>(listener ? [listener] : []);
    const controller = new AbortController();
    const load: EngineLoadOptions = {
      signal: controller.signal,
      onProgress: (progress) => {
        for (const listener of listeners) listener(progress);
      },
    };
    const ready = entry.kind === 'source' ? loadSource(entry.source, load) : entry.load(load);
    const slot: Slot = { ready, listeners, controller };
    slots.set(id, slot);
    ready.then(
      (loaded) => {
        slot.loaded = loaded;
        listeners.clear();
      },
      () => {
        if (slots.get(id) === slot) slots.delete(id);
      },
    );
    return slot;
  }

  async function load(id: string, loadOptions: { onProgress?: (progress: LoadProgress) => void } = {}) {
    const slot = await slotFor(id, loadOptions.onProgress);
    try {
      return (await slot.ready).info;
    } finally {
      if (loadOptions.onProgress) slot.listeners.delete(loadOptions.onProgress);
    }
  }

  async function unload(id: string): Promise<boolean> {
    const slot = slots.get(id);
    if (!slot) return false;
    slots.delete(id);
    slot.controller.abort(new DOMException('The model was unloaded.', 'AbortError'));
    const loaded = await slot.ready.catch(() => null);
    await loaded?.engine.dispose();
    return true;
  }

  /** Our runtime's backend: `cpu`, `webgpu`, or `auto` until autoRuntime has made its choice. */
  async function ourBackend(): Promise<string> {
    const runtime = options.runtime as RuntimeFactory & Partial<ChoosingRuntime>;
    if (!runtime.choice) return runtime.backend;
    try {
      const settled = await Promise.race([runtime.choice(), Promise.resolve(null)]);
      return settled?.runtime.backend ?? runtime.backend;
    } catch {
      return runtime.backend;
    }
  }

  async function models(): Promise<HostedModelObject[]> {
    const known = new Map<string, CatalogModel>();
    for (const model of await options.catalog.list()) known.set(model.id, model);
    for (const id of slots.keys()) if (!known.has(id)) known.set(id, { id });
    const ours = await ourBackend();
    return [...known.values()].map((model) =>
      buildModelObject(model.id, {
        created: createdAt,
        owned_by: ownedBy,
        runtime: model.runtime ?? slots.get(model.id)?.loaded?.info.backend ?? ours,
        size_bytes: model.sizeBytes ?? null,
        cached: model.cached ?? false,
      }),
    );
  }

  return {
    chat: {
      completions: {
        async create(params, requestOptions) {
          requestOptions?.signal?.throwIfAborted();
          const { model } = validateChatCompletionRequest(params);
          const { engine } = await (await slotFor(model)).ready;
          return engine.chat.completions.create(params, requestOptions);
        },
      },
    },
    models: {
      list: async () => buildModelList(await models()),
      async retrieve(id) {
        const model = (await models()).find((candidate) => candidate.id === id);
        if (!model) throw notFound(id);
        return model;
      },
    },
    load,
    unload,
    loaded: () => [...slots.values()].flatMap((slot) => (slot.loaded ? [slot.loaded.info] : [])),
    async delete(id) {
      await unload(id);
      await options.catalog.delete?.(id);
    },
    async storageUsed() {
      return { bytes: (await options.catalog.storageUsed?.()) ?? 0 };
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
