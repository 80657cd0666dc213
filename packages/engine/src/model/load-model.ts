/**
 * Loads everything one model needs: its runtime (weights + KV caches), its tokenizer and chat
 * template, and its generation defaults, from a ModelSource in Hugging Face layout.
 */
import { type ModelSource, readJson } from '@cinder/model-format';
import { ApiError } from '@cinder/protocol';
import { Scheduler, type SchedulerOptions } from '../generate/scheduler.ts';
import type { Runtime, RuntimeFactory, RuntimeLoadOptions } from '../runtime/runtime.ts';
import { loadTokenizer, type TextTokenizer } from '../text/tokenizer.ts';
import { type GenerationDefaults, parseGenerationConfig, tokenIds } from './generation-config.ts';

export interface ModelSpec {
  readonly source: ModelSource;
  readonly runtime: RuntimeFactory;
  readonly loadOptions?: RuntimeLoadOptions;
}

export interface LoadedModel {
  readonly id: string;
  readonly runtime: Runtime;
  readonly tokenizer: TextTokenizer;
  /** tokenizer_config.json `chat_template` (string, list or map), if any. */
  readonly chatTemplate: unknown;
  readonly defaults: GenerationDefaults;
  /** Every id that ends generation: generation_config, config.json and tokenizer EOS. */
  readonly eosTokenIds: ReadonlySet<number>;
  readonly scheduler: Scheduler;
  /** Unix seconds when it was loaded. */
  readonly created: number;
}

type Json = Record<string, unknown>;

export async function loadModel(
  spec: ModelSpec,
  schedulerOptions: SchedulerOptions = {},
): Promise<LoadedModel> {
  const { source } = spec;
  const [config, tokenizerJson, tokenizerConfig, generationConfig, chatTemplateFile] = await Promise.all([
    readJson<Json>(source, 'config.json'),
    readJson<Json>(source, 'tokenizer.json'),
    readJson<Json>(source, 'tokenizer_config.json'),
    readJson<Json>(source, 'generation_config.json'),
    readJson<Json>(source, 'chat_template.json'),
  ]);
  if (!config) throw modelError(source.id, 'has no config.json');
  if (!tokenizerJson) throw modelError(source.id, 'has no tokenizer.json');

  const tokenizer = loadTokenizer(tokenizerJson, tokenizerConfig ?? {});
  const defaults = parseGenerationConfig(generationConfig);
  const runtime = await spec.runtime.load(source, spec.loadOptions);
  const eosTokenIds = new Set([
    ...defaults.eosTokenIds,
    ...tokenIds(config.eos_token_id),
    ...tokenizer.eosTokenIds,
  ]);
  return {
    id: source.id,
    runtime,
    tokenizer,
    chatTemplate: chatTemplateFile?.chat_template ?? tokenizerConfig?.chat_template ?? null,
    defaults,
    eosTokenIds,
    scheduler: new Scheduler(runtime, schedulerOptions),
    created: Math.floor(Date.now() / 1000),
  };
}

function modelError(id: string, what: string): ApiError {
  return new ApiError(500, `Model ${id} ${what}.`, { type: 'server_error', code: 'model_load_failed' });
}
