/**
 * The models the picker offers: the ones built into this app (served beside it, listed by the server
 * in /local-models.json) and real models from the Hugging Face Hub. Plain data; sizes of Hub models
 * are what their files weigh on the Hub (the store learns the exact size when a download starts).
 *
 * A GGUF model (`gguf`: its one weights file, no safetensors) always runs on wllama. The store
 * downloads it through host-worker's ggufStoreFetch (ggufFiles below), which makes its folder look
 * like a Hugging Face-layout model; the engine worker serves it through a ggufCatalog (ggufRefs).
 */
import { type GgufRef, ggufLocation } from '@cinder/host-worker';
import type { ModelRef } from '@cinder/model-store';
import { kv } from '../chat/conversations.ts';

export interface CatalogModel {
  /** The model store id, and the `model` of chat requests. */
  readonly id: string;
  readonly label: string;
  readonly ref: ModelRef;
  /** Download size in bytes. */
  readonly bytes: number;
  /** Where its files come from: this app, the Hub (both through the model store), or WebLLM's own cache. */
  readonly origin: 'built-in' | 'hub' | 'webllm';
  readonly description: string;
  /** The model to use when none is chosen yet. */
  readonly isDefault?: boolean;
  /** The Hub wants an access token for it (license to accept first). */
  readonly gated?: boolean;
  /** A GGUF model: its weights file, in the folder `ref` points at (runs on wllama). */
  readonly gguf?: string;
}

const hub = (
  id: string,
  label: string,
  bytes: number,
  description: string,
  extra: Partial<CatalogModel> = {},
): CatalogModel => ({ id, label, ref: id, bytes, origin: 'hub', description, ...extra });

/** A GGUF model on the Hub: `file` in repo `id` (the repo holds other quantizations too). */
const hubGguf = (id: string, file: string, label: string, bytes: number, description: string) =>
  hub(id, label, bytes, description, {
    ref: { id, url: ggufLocation({ repo: id, file }).baseUrl },
    gguf: file,
  });

export const HUB_MODELS: readonly CatalogModel[] = [
  hub(
    'HuggingFaceTB/SmolLM2-135M-Instruct',
    'SmolLM2 135M Instruct',
    271_200_000,
    'Smallest real chat model; quick, short answers.',
  ),
  hub(
    'HuggingFaceTB/SmolLM2-360M-Instruct',
    'SmolLM2 360M Instruct',
    725_800_000,
    'Better answers, still light.',
  ),
  hub(
    'Qwen/Qwen2.5-0.5B-Instruct',
    'Qwen2.5 0.5B Instruct',
    995_100_000,
    'Multilingual, follows instructions well.',
  ),
  hubGguf(
    'Qwen/Qwen2.5-0.5B-Instruct-GGUF',
    'qwen2.5-0.5b-instruct-q8_0.gguf',
    'Qwen2.5 0.5B · GGUF q8_0',
    676_000_000,
    'The same model as one GGUF file (8-bit): runs on wllama, on any device.',
  ),
  hub(
    'Qwen/Qwen3-0.6B',
    'Qwen3 0.6B',
    1_514_700_000,
    'Thinks before it answers; its reasoning is shown apart.',
  ),
  hub(
    'meta-llama/Llama-3.2-1B-Instruct',
    'Llama 3.2 1B Instruct',
    2_480_700_000,
    'Largest here; needs a Hub access token.',
    {
      gated: true,
    },
  ),
];

interface LocalModelEntry {
  readonly id: string;
  /** `owner/repo` under this origin, served in the Hub's layout. */
  readonly repo: string;
  readonly bytes: number;
  readonly default?: boolean;
  readonly description?: string;
  /** A GGUF model: its weights file (the repo has no config.json or safetensors). */
  readonly gguf?: string;
}

/**
 * The models served with the app (see apps/server/src/serve-demo.ts). The last list seen is kept, so
 * an offline start still knows them; none when there never was a list.
 */
export async function builtInModels(): Promise<CatalogModel[]> {
  let entries: LocalModelEntry[];
  try {
    const response = await fetch('/local-models.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    entries = ((await response.json()) as { models?: LocalModelEntry[] }).models ?? [];
    await kv.set('local-models', entries);
  } catch {
    entries = (await kv.get<LocalModelEntry[]>('local-models')) ?? [];
  }
  return entries.map((entry) => ({
    id: entry.id,
    label: entry.id,
    ref: { id: entry.id, url: new URL(`/${entry.repo}/resolve/main/`, location.href).href },
    bytes: entry.bytes,
    origin: 'built-in',
    description:
      entry.description ??
      (entry.gguf
        ? 'Built into this app as one GGUF file: runs on wllama, works offline once downloaded.'
        : 'Built into this app: small, and works offline once downloaded.'),
    isDefault: entry.default === true,
    ...(entry.gguf ? { gguf: entry.gguf } : {}),
  }));
}

/** The folder URL of a model's files (the model store's `url`, no trailing slash). */
function baseUrlOf(model: CatalogModel): string {
  const url =
    typeof model.ref === 'string' ? ggufLocation({ repo: model.ref, file: '' }).baseUrl : model.ref.url;
  return url.replace(/\/+$/, '');
}

/** For ggufStoreFetch: the GGUF models' folders (base URL -> GGUF file). */
export function ggufFiles(models: readonly CatalogModel[]): Map<string, string> {
  return new Map(models.flatMap((model) => (model.gguf ? [[baseUrlOf(model), model.gguf] as const] : [])));
}

/** For the engine worker's ggufCatalog: the GGUF models by id, each as its file's URL. */
export function ggufRefs(models: readonly CatalogModel[]): Record<string, GgufRef> {
  return Object.fromEntries(
    models.flatMap((model) =>
      model.gguf ? [[model.id, { url: `${baseUrlOf(model)}/${encodeURIComponent(model.gguf)}` }]] : [],
    ),
  );
}

/** Every GGUF model the picker offers (built-in ones from the last list seen), for the engine worker. */
export async function ggufCatalogModels(): Promise<Record<string, GgufRef>> {
  return ggufRefs([...(await builtInModels()), ...HUB_MODELS]);
}
