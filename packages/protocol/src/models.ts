/**
 * `/v1/models` objects: `{object:'model', id, created, owned_by}` and `{object:'list', data}`, plus
 * vLLM's extras and ours (which runtime serves the model, its download size, whether it is on this
 * device). OpenAI's Model schema allows extra fields; clients ignore what they do not know.
 */
import { unixSeconds } from './builders.ts';
import type { ModelList, ModelObject } from './response-types.ts';

export interface ModelObjectInit {
  /** Unix seconds; defaults to now. */
  created?: number;
  /** Defaults to 'cinder'. */
  owned_by?: string;
  /** vLLM extras, included when given. */
  root?: string;
  parent?: string | null;
  max_model_len?: number;
  /** cinder extras, included when given: the runtime that serves it (`cpu`, `webgpu`, `webllm`, ...), */
  runtime?: string;
  /** its download size in bytes (null: unknown), */
  size_bytes?: number | null;
  /** and whether its files are on this device. */
  cached?: boolean;
}

/** A model object with the extras a host may add. */
export type HostedModelObject = ModelObject & Pick<ModelObjectInit, 'runtime' | 'size_bytes' | 'cached'>;

export function buildModelObject(id: string, init: ModelObjectInit = {}): HostedModelObject {
  const model: HostedModelObject = {
    id,
    object: 'model',
    created: init.created ?? unixSeconds(),
    owned_by: init.owned_by ?? 'cinder',
  };
  if (init.root !== undefined) model.root = init.root;
  if (init.parent !== undefined) model.parent = init.parent;
  if (init.max_model_len !== undefined) model.max_model_len = init.max_model_len;
  if (init.runtime !== undefined) model.runtime = init.runtime;
  if (init.size_bytes !== undefined) model.size_bytes = init.size_bytes;
  if (init.cached !== undefined) model.cached = init.cached;
  return model;
}

export function buildModelList(models: readonly ModelObject[]): ModelList {
  return { object: 'list', data: [...models] };
}
