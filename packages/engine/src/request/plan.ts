/**
 * A validated request, checked against one model, becomes a GenerationPlan: the prompt ids and
 * every per-choice setting the generation loop needs. Model-dependent checks live here (token ids
 * within the vocabulary, prompt + completion within the context window); they are 400s.
 */
import type { ChatCompletionRequest } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';
import type { ChoiceSettings } from '../generate/choice-state.ts';
import type { RepetitionRule } from '../generate/repetition.ts';
import type { LoadedModel } from '../model/load-model.ts';
import { renderPrompt } from './render-prompt.ts';

export interface SamplingSettings {
  readonly temperature: number;
  readonly topP: number;
  readonly topK: number;
  readonly minP: number;
  readonly presencePenalty: number;
  readonly frequencyPenalty: number;
  readonly repetitionPenalty: number;
  readonly logitBias: ReadonlyMap<number, number>;
  readonly seed: number | null;
  readonly minTokens: number;
  /** Suppressed until min_tokens: stop_token_ids, and EOS unless ignore_eos. */
  readonly stopTokenIds: readonly number[];
  readonly eosTokenIds: readonly number[];
  readonly ignoreEos: boolean;
  readonly allowedTokenIds: readonly number[] | null;
  readonly badWordsIds: readonly (readonly number[])[];
}

export interface GenerationPlan {
  readonly promptIds: number[];
  readonly promptText: string;
  /** The chat template the prompt was rendered with. */
  readonly template: string;
  readonly n: number;
  readonly priority: number;
  readonly sampling: SamplingSettings;
  /** Settings of choice 0; choice i differs only in `index`. */
  readonly choice: ChoiceSettings;
}

export function planGeneration(request: ChatCompletionRequest, model: LoadedModel): GenerationPlan {
  const { vocabSize, contextLength } = model.runtime.model;
  const prompt = renderPrompt(request, model, contextLength);
  const promptLength = prompt.ids.length;
  if (promptLength >= contextLength) {
    throw new ApiError(
      400,
      `This model's maximum context length is ${contextLength} tokens. However, your messages resulted in ${promptLength} tokens. Please reduce the length of the messages.`,
      { param: 'messages', code: 'context_length_exceeded' },
    );
  }
  const maxParam = request.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const requested = request.max_completion_tokens ?? request.max_tokens ?? null;
  if (requested !== null && promptLength + requested > contextLength) {
    throw new ApiError(
      400,
      `This model's maximum context length is ${contextLength} tokens. However, you requested ${promptLength + requested} tokens (${promptLength} in the messages, ${requested} in the completion). Please reduce the length of the messages or completion.`,
      { param: maxParam, code: 'context_length_exceeded' },
    );
  }
  const maxTokens = requested ?? contextLength - promptLength;

  const checkIds = (param: string, ids: readonly number[]) => {
    const bad = ids.filter((id) => !Number.isInteger(id) || id < 0 || id >= vocabSize);
    if (bad.length > 0) {
      throw new ApiError(
        400,
        `${param} contains token ids outside the vocabulary [0, ${vocabSize}): ${bad.join(', ')}.`,
        {
          param,
          code: 'invalid_value',
        },
      );
    }
  };
  const logitBias = new Map<number, number>();
  for (const [key, bias] of Object.entries(request.logit_bias ?? {})) logitBias.set(Number(key), bias);
  checkIds('logit_bias', [...logitBias.keys()]);
  const stopTokenIds = request.stop_token_ids ?? [];
  checkIds('stop_token_ids', stopTokenIds);
  const allowedTokenIds = request.allowed_token_ids ?? null;
  if (allowedTokenIds) checkIds('allowed_token_ids', allowedTokenIds);
  const badWordsIds = (request.bad_words ?? []).flatMap((word) => badWordIds(model, word));

  const ignoreEos = request.ignore_eos ?? false;
  const minTokens = request.min_tokens ?? 0;
  const { defaults } = model;
  const logprobsOn = request.logprobs === true;
  const stop = request.stop ?? [];

  return {
    promptIds: prompt.ids,
    promptText: prompt.text,
    template: prompt.template,
    n: request.n ?? 1,
    priority: request.priority ?? 0,
    sampling: {
      temperature: request.temperature ?? defaults.temperature ?? 1,
      topP: request.top_p ?? defaults.topP ?? 1,
      topK: request.top_k ?? defaults.topK ?? 0,
      minP: request.min_p ?? defaults.minP ?? 0,
      presencePenalty: request.presence_penalty ?? 0,
      frequencyPenalty: request.frequency_penalty ?? 0,
      repetitionPenalty: request.repetition_penalty ?? defaults.repetitionPenalty ?? 1,
      logitBias,
      seed: request.seed ?? null,
      minTokens,
      stopTokenIds,
      eosTokenIds: [...model.eosTokenIds],
      ignoreEos,
      allowedTokenIds,
      badWordsIds,
    },
    choice: {
      index: 0,
      maxTokens,
      minTokens,
      eosTokenIds: model.eosTokenIds,
      stopTokenIds: new Set(stopTokenIds),
      ignoreEos,
      stopStrings: typeof stop === 'string' ? [stop] : stop,
      includeStopStringInOutput: request.include_stop_str_in_output ?? false,
      skipSpecialTokens: request.skip_special_tokens ?? true,
      spacesBetweenSpecialTokens:
        !(request.skip_special_tokens ?? true) && (request.spaces_between_special_tokens ?? true),
      topLogprobs: logprobsOn ? (request.top_logprobs ?? 0) : null,
      tokensAsIds: request.return_tokens_as_token_ids ?? false,
      repetition: repetitionRule(request),
    },
  };
}

/** Like vLLM, a bad word is banned both as written and with a leading space (as it appears mid-sentence). */
function badWordIds(model: LoadedModel, word: string): number[][] {
  const variants = [word, ` ${word.trimStart()}`].map((text) =>
    model.tokenizer.encode(text, { addSpecialTokens: false }),
  );
  if (variants[0].length === 0) {
    throw new ApiError(400, `bad_words entry '${word}' tokenizes to no tokens.`, {
      param: 'bad_words',
      code: 'invalid_value',
    });
  }
  const seen = new Set<string>();
  return variants.filter((ids) => ids.length > 0 && !seen.has(ids.join()) && seen.add(ids.join()));
}

function repetitionRule(request: ChatCompletionRequest): RepetitionRule | null {
  const rule = request.repetition_detection;
  if (!rule?.max_pattern_size) return null;
  return {
    minPatternSize: rule.min_pattern_size ?? 1,
    maxPatternSize: rule.max_pattern_size,
    minCount: rule.min_count ?? 2,
  };
}
