/**
 * `generation_config.json`: the model's own stop tokens and default sampling values.
 * Like vLLM, request fields override these defaults, and these override the OpenAI defaults.
 */
export interface GenerationDefaults {
  readonly eosTokenIds: readonly number[];
  readonly temperature?: number;
  readonly topP?: number;
  readonly topK?: number;
  readonly minP?: number;
  readonly repetitionPenalty?: number;
}

export function parseGenerationConfig(json: unknown): GenerationDefaults {
  const config = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const number = (key: string) => (typeof config[key] === 'number' ? (config[key] as number) : undefined);
  return {
    eosTokenIds: tokenIds(config.eos_token_id),
    temperature: number('temperature'),
    topP: number('top_p'),
    topK: number('top_k'),
    minP: number('min_p'),
    repetitionPenalty: number('repetition_penalty'),
  };
}

export function tokenIds(value: unknown): number[] {
  if (typeof value === 'number' && Number.isInteger(value)) return [value];
  if (Array.isArray(value))
    return value.filter((id): id is number => typeof id === 'number' && Number.isInteger(id));
  return [];
}
