/**
 * The engine: models by id, and `chat.completions.create` = validate -> plan -> schedule -> output.
 *
 *   request JSON --validate (protocol)--> ChatCompletionRequest
 *                --planGeneration-------> prompt ids + per-choice settings (model-dependent 400s)
 *                --Scheduler.submit-----> batched runtime steps, one ChoiceState per choice
 *                --ChunkStream / collectCompletion--> chunks or a completion
 */
import {
  ApiError,
  buildModelList,
  buildModelObject,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionRequest,
  type ModelObject,
  newCompletionId,
  validateChatCompletionRequest,
} from '@cinder/protocol';
import type { Engine, RequestOptions } from './engine-api.ts';
import { BeamSearch } from './generate/beam-search.ts';
import { buildBeamProcessors, buildSampler } from './generate/build-sampler.ts';
import { ChoiceState } from './generate/choice-state.ts';
import { GenerationJob } from './generate/generation-job.ts';
import { PromptLogprobs } from './generate/prompt-logprobs.ts';
import { rawLogprobs } from './generate/raw-logprobs.ts';
import type { SchedulerOptions } from './generate/scheduler.ts';
import { type LoadedModel, loadModel, type ModelSpec } from './model/load-model.ts';
import { ChunkStream } from './output/chunk-stream.ts';
import { collectCompletion } from './output/collect-completion.ts';
import type { OutputContext } from './output/output-context.ts';
import { type GenerationPlan, planGeneration } from './request/plan.ts';
import { rejectUnsupported } from './request/unsupported.ts';
import { type OutputPlan, planOutput } from './structured/output-plan.ts';

export interface EngineOptions {
  readonly models: readonly ModelSpec[];
  /** `owned_by` of listed models. Default `cinder`. */
  readonly ownedBy?: string;
  /** Batching limits of each model's scheduler. */
  readonly scheduler?: SchedulerOptions;
}

export interface LoadedModelInfo {
  readonly id: string;
  readonly architecture: string;
  readonly backend: string;
  readonly contextLength: number;
  readonly weightBytes: number;
}

export interface LocalEngine extends Engine {
  /** Load a registered model now (otherwise it loads on its first request). */
  loadModel(id: string): Promise<LoadedModelInfo>;
}

const SYSTEM_FINGERPRINT = 'fp_cinder_0';

export function createEngine(options: EngineOptions): LocalEngine {
  const specs = new Map(options.models.map((spec) => [spec.source.id, spec]));
  const loaded = new Map<string, Promise<LoadedModel>>();
  const ownedBy = options.ownedBy ?? 'cinder';
  const registeredAt = Math.floor(Date.now() / 1000);

  function getModel(id: string): Promise<LoadedModel> {
    const spec = specs.get(id);
    if (!spec) {
      throw new ApiError(404, `The model '${id}' does not exist or you do not have access to it.`, {
        param: 'model',
        code: 'model_not_found',
      });
    }
    let model = loaded.get(id);
    if (!model) {
      model = loadModel(spec, options.scheduler);
      loaded.set(id, model);
      model.catch(() => loaded.delete(id));
    }
    return model;
  }

  function modelObject(id: string): ModelObject {
    return buildModelObject(id, { created: registeredAt, owned_by: ownedBy, root: id, parent: null });
  }

  async function create(
    params: unknown,
    requestOptions: RequestOptions = {},
  ): Promise<ChatCompletion | AsyncIterable<ChatCompletionChunk>> {
    const { signal } = requestOptions;
    signal?.throwIfAborted();
    const request = validateChatCompletionRequest(params);
    rejectUnsupported(request);
    const model = await getModel(request.model);
    const plan = planGeneration(request, model);
    const output = await planOutput(request, model, plan);
    signal?.throwIfAborted();

    const job = request.use_beam_search
      ? beamSearch(request, model, plan)
      : await generationJob(request, model, plan, output);
    if (signal) {
      const onAbort = () =>
        job.fail(signal.reason ?? new DOMException('The request was aborted.', 'AbortError'));
      signal.addEventListener('abort', onAbort, { once: true });
      void job.events.closed.then(() => signal.removeEventListener('abort', onAbort));
    }
    model.scheduler.submit(job);

    const context = outputContext(request, model, plan.promptIds, output);
    return request.stream ? new ChunkStream(job, context) : collectCompletion(job, context);
  }

  return {
    chat: { completions: { create } },
    models: {
      async list() {
        return buildModelList([...specs.keys()].map(modelObject));
      },
      async retrieve(id) {
        if (!specs.has(id)) {
          throw new ApiError(404, `The model '${id}' does not exist or you do not have access to it.`, {
            param: 'model',
            code: 'model_not_found',
          });
        }
        return modelObject(id);
      },
    },
    async loadModel(id) {
      const model = await getModel(id);
      const info = model.runtime.model;
      return {
        id,
        architecture: info.architecture,
        backend: model.runtime.backend,
        contextLength: info.contextLength,
        weightBytes: info.weightBytes,
      };
    },
    async dispose() {
      const models = await Promise.allSettled(loaded.values());
      loaded.clear();
      for (const result of models) if (result.status === 'fulfilled') await result.value.runtime.dispose();
    },
  };
}

async function generationJob(
  request: ChatCompletionRequest,
  model: LoadedModel,
  plan: GenerationPlan,
  output: OutputPlan,
): Promise<GenerationJob> {
  const { startGrammar } = output;
  const grammars = startGrammar ? await Promise.all(Array.from({ length: plan.n }, startGrammar)) : null;
  const skipSpecialTokens = output.skipSpecialTokens ?? plan.choice.skipSpecialTokens;
  const choices = Array.from(
    { length: plan.n },
    (_, index) =>
      new ChoiceState(
        { ...plan.choice, index, skipSpecialTokens },
        model.tokenizer,
        buildSampler(plan.sampling, index, plan.promptIds, grammars?.[index] ?? null),
        rawLogprobs,
        plan.promptIds,
      ),
  );
  const promptLogprobs =
    request.prompt_logprobs == null
      ? null
      : new PromptLogprobs(plan.promptIds, request.prompt_logprobs, (id) => model.tokenizer.tokenText(id));
  return new GenerationJob(plan.promptIds, plan.priority, choices, request.cache_salt ?? '', promptLogprobs);
}

function beamSearch(request: ChatCompletionRequest, model: LoadedModel, plan: GenerationPlan): BeamSearch {
  const { choice } = plan;
  return new BeamSearch(
    plan.promptIds,
    plan.priority,
    {
      width: plan.n,
      maxTokens: choice.maxTokens,
      lengthPenalty: request.length_penalty ?? 1,
      temperature: request.temperature ?? 1,
      eosTokenIds: choice.eosTokenIds,
      ignoreEos: choice.ignoreEos,
      stopStrings: choice.stopStrings,
      includeStopStringInOutput: choice.includeStopStringInOutput,
      skipSpecialTokens: choice.skipSpecialTokens,
    },
    buildBeamProcessors(plan.sampling, plan.promptIds),
    model.tokenizer,
  );
}

function outputContext(
  request: ChatCompletionRequest,
  model: LoadedModel,
  promptIds: number[],
  output: OutputPlan,
): OutputContext {
  return {
    id: request.request_id ? request.request_id : newCompletionId(),
    created: Math.floor(Date.now() / 1000),
    model: model.id,
    systemFingerprint: SYSTEM_FINGERPRINT,
    promptTokenIds: promptIds,
    n: request.n ?? 1,
    logprobs: request.logprobs === true,
    returnTokenIds: request.return_token_ids === true,
    includeUsage: request.stream_options?.include_usage === true,
    continuousUsage: request.stream_options?.continuous_usage_stats === true,
    echo: request.echo ? echoText(request) : '',
    parser: output.parser,
    includeReasoning: output.includeReasoning,
    legacyFunctionCall: output.legacyFunctionCall,
  };
}

/** vLLM echoes the last message when it is the assistant's (the one being continued). */
function echoText(request: ChatCompletionRequest): string {
  const last = request.messages.at(-1);
  if (last?.role !== 'assistant') return '';
  const { content } = last;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}
