/**
 * Rules between top-level fields, run in order after every field passed its own check
 * (so each rule may rely on the field types). Messages quote vLLM where it has one.
 */
import { invalidParam } from './errors.ts';
import { constraintKinds } from './validate-formats.ts';
import { given, listValues, type Obj, show } from './validate-values.ts';

type Rule = (body: Obj) => void;

const names = (list: unknown, pick: (entry: Obj) => unknown): string[] =>
  Array.isArray(list) ? list.map((entry: Obj) => pick(entry) as string) : [];

const streamOptionsNeedStream: Rule = (body) => {
  if (given(body, 'stream_options') !== undefined && body.stream !== true) {
    throw invalidParam(
      'stream_options',
      "The 'stream_options' parameter is only allowed when 'stream' is enabled. Set 'stream': true or remove 'stream_options'.",
    );
  }
};

const logprobsRules: Rule = (body) => {
  const topLogprobs = given(body, 'top_logprobs') as number | undefined;
  if (topLogprobs !== undefined && topLogprobs > 0 && body.logprobs !== true) {
    throw invalidParam('top_logprobs', 'when using `top_logprobs`, `logprobs` must be set to true.');
  }
  if (given(body, 'logprob_token_ids') !== undefined) {
    if (body.use_beam_search === true) {
      throw invalidParam('logprob_token_ids', '`logprob_token_ids` is not supported with beam search.');
    }
    if (body.logprobs !== true) {
      throw invalidParam(
        'logprob_token_ids',
        'when using `logprob_token_ids`, `logprobs` must be set to true.',
      );
    }
  }
  const promptLogprobs = given(body, 'prompt_logprobs') as number | undefined;
  if (promptLogprobs !== undefined && promptLogprobs > 0 && body.stream === true) {
    throw invalidParam(
      'prompt_logprobs',
      '`prompt_logprobs` are not available when `stream=True`.',
      'unsupported_value',
    );
  }
};

const lengthRules: Rule = (body) => {
  const maxTokens = given(body, 'max_tokens') as number | undefined;
  const maxCompletionTokens = given(body, 'max_completion_tokens') as number | undefined;
  // Both may be sent (clients that set both for old and new servers): like vLLM, max_completion_tokens wins.
  const limit = maxCompletionTokens ?? maxTokens;
  const minTokens = given(body, 'min_tokens') as number | undefined;
  if (limit !== undefined && minTokens !== undefined && minTokens > limit) {
    throw invalidParam(
      'min_tokens',
      `min_tokens must be less than or equal to max_tokens=${limit}, got ${minTokens}.`,
    );
  }
};

const toolChoiceRules: Rule = (body) => {
  const choice = given(body, 'tool_choice');
  if (choice === undefined || choice === 'none') return;
  if (given(body, 'tools') === undefined) {
    throw invalidParam(
      'tool_choice',
      'When using `tool_choice`, `tools` must be set.',
      'missing_required_parameter',
    );
  }
  if (typeof choice !== 'object') return;
  const wanted = ((choice as Obj).function as Obj).name as string;
  const available = names(body.tools, (tool) => (tool.function as Obj).name);
  if (!available.includes(wanted)) {
    throw invalidParam(
      'tool_choice.function.name',
      `The tool specified in \`tool_choice\` does not match any of the specified \`tools\`: ${show(wanted)} is not one of ${listValues(available)}.`,
    );
  }
};

const legacyFunctionRules: Rule = (body) => {
  const functions = given(body, 'functions');
  if (functions !== undefined && given(body, 'tools') !== undefined) {
    throw invalidParam(
      'functions',
      "Invalid 'functions': use either 'tools' or the deprecated 'functions', not both.",
    );
  }
  const call = given(body, 'function_call');
  if (call === undefined || call === 'none') return;
  if (functions === undefined) {
    throw invalidParam(
      'function_call',
      "When using 'function_call', 'functions' must be set.",
      'missing_required_parameter',
    );
  }
  if (typeof call !== 'object') return;
  const wanted = (call as Obj).name as string;
  const available = names(functions, (fn) => fn.name);
  if (!available.includes(wanted)) {
    throw invalidParam(
      'function_call.name',
      `Invalid 'function_call.name': ${show(wanted)} does not match any of the specified 'functions' (${listValues(available)}).`,
    );
  }
};

const structuredOutputRules: Rule = (body) => {
  const structured = given(body, 'structured_outputs') as Obj | undefined;
  if (structured === undefined || constraintKinds(structured).length === 0) return;
  const choice = given(body, 'tool_choice');
  if (choice !== undefined && typeof choice === 'object') {
    throw invalidParam(
      'structured_outputs',
      'You can only either use constraints for structured outputs or tools, not both.',
    );
  }
  const format = given(body, 'response_format') as Obj | undefined;
  if (format !== undefined && format.type !== 'text') {
    throw invalidParam(
      'structured_outputs',
      `Invalid 'structured_outputs': it conflicts with 'response_format' of type ${show(format.type)}. Use one of them.`,
    );
  }
};

const generationPromptRule: Rule = (body) => {
  if (body.continue_final_message === true && body.add_generation_prompt === true) {
    throw invalidParam(
      'continue_final_message',
      'Cannot set both `continue_final_message` and `add_generation_prompt` to True.',
    );
  }
};

export const RULES: readonly Rule[] = [
  streamOptionsNeedStream,
  logprobsRules,
  lengthRules,
  toolChoiceRules,
  legacyFunctionRules,
  structuredOutputRules,
  generationPromptRule,
];
