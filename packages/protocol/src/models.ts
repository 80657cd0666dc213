/** `/v1/models` objects: `{object:'model', id, created, owned_by}` and `{object:'list', data}`. */
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
}

export function buildModelObject(id: string, init: ModelObjectInit = {}): ModelObject {
  const model: ModelObject = {
    id,
    object: 'model',
    created: init.created ?? unixSeconds(),
    owned_by: init.owned_by ?? 'cinder',
  };
  if (init.root !== undefined) model.root = init.root;
  if (init.parent !== undefined) model.parent = init.parent;
  if (init.max_model_len !== undefined) model.max_model_len = init.max_model_len;
  return model;
}

export function buildModelList(models: readonly ModelObject[]): ModelList {
  return { object: 'list', data: [...models] };
}
