/**
 * WebLLM's models as a catalog: its prebuilt catalogue (or a chosen part of it) and custom MLC models
 * (an id, a weights URL and a model library URL), each loaded as a WebLLM engine behind our OpenAI
 * surface. WebLLM keeps its own files in Cache Storage; listing asks it what is cached, delete asks it
 * to forget them.
 *
 *   createModelHost({ runtime, catalog: combineCatalogs(storeCatalog(store), webLlmCatalog({ models })) })
 *
 * The GPU is asked once, before any download: without an adapter WebLLM models are not listed and
 * a request for one is a 400; without `shader-f16` each f16-only model is listed as its f32 variant,
 * and a request for the f16 id is a 400 that names the f32 id.
 */
import { ApiError } from '@cinder/protocol';
import { detectGpuFeatures, type FeatureGpu, type GpuFeatures, navigatorGpu } from './gpu-features.ts';
import type { CatalogModel, EngineLoadOptions, LoadedEngine, ModelCatalog } from './model-catalog.ts';
import type {
  WebLlmAppConfig,
  WebLlmBinding,
  WebLlmModelFacts,
  WebLlmModelRecord,
} from './webllm-binding.ts';
import { webLlmLoadError } from './webllm-load-error.ts';

/** A model WebLLM does not ship: an MLC-compiled model served from your own URLs. */
export interface CustomWebLlmModel {
  readonly id: string;
  /** Base URL of the weights (`mlc-chat-config.json`, `ndarray-cache.json`, tokenizer, shards). */
  readonly url: string;
  /** URL of the compiled model library (`.wasm`). */
  readonly modelLib: string;
  /** Download size in bytes, when known (listed as `size_bytes`). */
  readonly sizeBytes?: number;
  /** Its library uses f16 arithmetic (the GPU must offer `shader-f16`). */
  readonly needsShaderF16?: boolean;
}

export interface WebLlmCatalogOptions {
  /**
   * How WebLLM is reached. Default: @cinder/runtime-webllm, imported when the catalog is first used
   * (so a worker that never serves WebLLM models never loads WebLLM). Tests pass a stand-in.
   */
  readonly webllm?: WebLlmBinding | Promise<WebLlmBinding>;
  /** Which models of the app config to list (default: all of them). Custom models are always listed. */
  readonly models?: readonly string[];
  /** Models to add to WebLLM's prebuilt ones. */
  readonly custom?: readonly CustomWebLlmModel[];
  /** Download sizes in bytes by id (WebLLM records none), listed as `size_bytes`. */
  readonly sizes?: Readonly<Record<string, number>>;
  /** Default: `navigator.gpu`. Null: no WebGPU (nothing is listed). */
  readonly gpu?: FeatureGpu | null;
  /** `owned_by` of the engines' responses. Default `cinder`. */
  readonly ownedBy?: string;
  /** Used to find which file is missing after a failed load. Default: global fetch. */
  readonly fetch?: typeof fetch;
}

export const WEBLLM_RUNTIME = 'webllm';

/** What the catalog knows once the binding is there: the app config, facts by id, the chosen ids. */
interface Known {
  readonly webllm: WebLlmBinding;
  readonly appConfig: WebLlmAppConfig;
  readonly facts: ReadonlyMap<string, WebLlmModelFacts>;
  /** The chosen ids, each with its f32 variant (what may be listed in its place). */
  readonly chosen: ReadonlyMap<string, string | null>;
}

export function webLlmCatalog(options: WebLlmCatalogOptions = {}): ModelCatalog {
  let known: Promise<Known> | null = null;
  const state = () => {
    known ??= Promise.resolve(
      options.webllm ?? import('./webllm-default.ts').then((m) => m.defaultWebLlm()),
    ).then((webllm) => describe(webllm, options));
    return known;
  };
  let features: Promise<GpuFeatures> | null = null;
  const gpuFeatures = () => {
    features ??= detectGpuFeatures(options.gpu === undefined ? navigatorGpu() : options.gpu);
    return features;
  };

  /** The catalog's knowledge, or null when WebLLM could not be loaded (then it serves nothing). */
  const available = () => state().catch(() => null);

  /** The id to serve in place of a chosen `id` on this GPU (itself, its f32 variant), or null. */
  function servable({ facts, chosen }: Known, id: string, gpu: GpuFeatures): string | null {
    if (!gpu.adapter || !facts.has(id)) return null;
    return !facts.get(id)!.needsShaderF16 || gpu.shaderF16 ? id : (chosen.get(id) ?? null);
  }

  async function load(id: string, loadOptions: EngineLoadOptions): Promise<LoadedEngine> {
    const { webllm, appConfig, facts } = await state();
    const { onProgress, signal } = loadOptions;
    const raw = await webllm.load(id, { appConfig, onProgress, signal }).catch(async (cause: unknown) => {
      const record = appConfig.model_list.find((candidate) => candidate.model_id === id);
      throw await webLlmLoadError(record, cause, options.fetch);
    });
    const engine = webllm.createEngine({ modelId: id, engine: raw, ownedBy: options.ownedBy });
    const model = facts.get(id);
    return {
      engine,
      info: {
        id,
        architecture: 'mlc',
        backend: WEBLLM_RUNTIME,
        contextLength: model?.contextLength ?? 0,
        weightBytes: model?.sizeBytes ?? 0,
      },
    };
  }

  async function isCached({ webllm, appConfig }: Known, id: string): Promise<boolean> {
    return webllm.storage.isCached(id, appConfig).catch(() => false);
  }

  /** Every id this catalog serves on some GPU: the chosen ones and their f32 variants. */
  function servedIds({ chosen }: Known): Set<string> {
    return new Set([...chosen].flatMap(([id, variant]) => (variant ? [id, variant] : [id])));
  }

  return {
    async list() {
      const gpu = await gpuFeatures();
      const current = gpu.adapter ? await available() : null; // no WebGPU: WebLLM is never loaded
      if (!current) return [];
      const ids = [...current.chosen.keys()].map((id) => servable(current, id, gpu));
      const listed = [...new Set(ids.filter((id): id is string => id !== null))];
      return Promise.all(
        listed.map(
          async (id): Promise<CatalogModel> => ({
            id,
            runtime: WEBLLM_RUNTIME,
            sizeBytes: current.facts.get(id)?.sizeBytes ?? null,
            cached: await isCached(current, id),
          }),
        ),
      );
    },
    async entry(id) {
      const current = await available();
      if (!current) {
        if (!options.models?.includes(id) && !options.custom?.some((model) => model.id === id)) return null;
        throw unavailable(id, await state().catch((cause: unknown) => cause));
      }
      if (!servedIds(current).has(id)) return null;
      const gpu = await gpuFeatures();
      const served = servable(current, id, gpu);
      if (served !== id) throw unservable(id, served, gpu);
      return { kind: 'engine', runtime: WEBLLM_RUNTIME, load: (loadOptions) => load(id, loadOptions) };
    },
    async delete(id) {
      const current = await available();
      if (current && servedIds(current).has(id)) await current.webllm.storage.delete(id, current.appConfig);
    },
    async storageUsed() {
      const current = await available();
      if (!current) return 0;
      let bytes = 0;
      for (const id of servedIds(current)) {
        const size = current.facts.get(id)?.sizeBytes;
        if (size && (await isCached(current, id))) bytes += size;
      }
      return bytes;
    },
  };
}

function describe(webllm: WebLlmBinding, options: WebLlmCatalogOptions): Known {
  const custom = options.custom ?? [];
  const appConfig: WebLlmAppConfig = {
    ...webllm.appConfig,
    model_list: [...webllm.appConfig.model_list, ...custom.map(customRecord)],
  };
  const facts = new Map<string, WebLlmModelFacts>();
  for (const model of webllm.models(appConfig)) {
    facts.set(model.id, { ...model, sizeBytes: options.sizes?.[model.id] ?? model.sizeBytes });
  }
  for (const model of custom) {
    const sizeBytes = model.sizeBytes ?? null;
    facts.set(model.id, { id: model.id, sizeBytes, needsShaderF16: model.needsShaderF16 ?? false });
  }
  const ids = [
    ...(options.models ?? webllm.appConfig.model_list.map((r) => r.model_id)),
    ...custom.map((m) => m.id),
  ];
  const chosen = new Map<string, string | null>();
  for (const id of ids) {
    if (!facts.has(id)) continue;
    const variant = facts.get(id)!.needsShaderF16 ? webllm.pickVariant(id, { shaderF16: false }) : null;
    const usable = variant !== null && variant !== id && facts.get(variant)?.needsShaderF16 === false;
    chosen.set(id, usable ? variant : null);
  }
  return { webllm, appConfig, facts, chosen };
}

function customRecord(model: CustomWebLlmModel): WebLlmModelRecord {
  return {
    model: model.url,
    model_id: model.id,
    model_lib: model.modelLib,
    ...(model.needsShaderF16 ? { required_features: ['shader-f16'] } : {}),
  };
}

/** A 503 for a chosen WebLLM model when WebLLM itself could not be loaded. */
function unavailable(id: string, cause: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ApiError(503, `The model '${id}' runs on WebLLM, which could not be started here: ${reason}`, {
    code: 'webllm_unavailable',
  });
}

/** A 400 for a WebLLM model this GPU cannot run, naming what to ask for instead when there is one. */
function unservable(id: string, variant: string | null, gpu: GpuFeatures): ApiError {
  const message = !gpu.adapter
    ? `The model '${id}' runs on WebLLM, which needs WebGPU, and this browser gives no WebGPU adapter.`
    : variant
      ? `The model '${id}' needs the WebGPU feature 'shader-f16', which this GPU lacks; use '${variant}' instead.`
      : `The model '${id}' needs the WebGPU feature 'shader-f16', which this GPU lacks.`;
  return new ApiError(400, message, { param: 'model', code: 'model_not_supported' });
}
