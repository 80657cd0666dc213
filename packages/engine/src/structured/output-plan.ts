/**
 * How a request's output is shaped and read, beyond plain sampling: the compiled grammar that
 * constrains it (response_format / structured_outputs, or forced tool calls), and how the text is
 * split into reasoning, content and tool calls. Decided per request, from the chat template the
 * prompt was rendered with (which tool-call format, whether the model thinks) and the prompt itself.
 */
import type { ChatCompletionRequest } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';
import type { LoadedModel } from '../model/load-model.ts';
import type { MessageParserOptions } from '../output/message-parser.ts';
import { type ReasoningSetup, reasoningSetup } from '../reasoning/reasoning-setup.ts';
import { THINK_TAGS } from '../reasoning/think-splitter.ts';
import type { TextTokenizer } from '../text/tokenizer.ts';
import { toolFormatFor } from '../tools/registry.ts';
import { type ToolRequest, toolRequest } from '../tools/tool-choice.ts';
import type { ToolCallFormat } from '../tools/tool-format.ts';
import { toolCallConstraint } from '../tools/tool-grammar.ts';
import { afterReasoning } from './after-reasoning.ts';
import type { Constraint } from './constraint.ts';
import type { GrammarConstraint } from './grammar-constraint.ts';
import { ModelGrammars } from './model-grammars.ts';
import { requestConstraint } from './request-constraint.ts';

export interface OutputPlan {
  /** Starts one grammar state per choice; null when the output is unconstrained. */
  readonly startGrammar: (() => Promise<GrammarConstraint>) | null;
  /** How each choice's text is read; null: all of it is content. */
  readonly parser: MessageParserOptions | null;
  /** Replaces the request's skip_special_tokens when a tool or reasoning marker is a special token. */
  readonly skipSpecialTokens: boolean | null;
  readonly includeReasoning: boolean;
  /** The deprecated `functions` API: calls are reported as `function_call`. */
  readonly legacyFunctionCall: boolean;
}

export interface PromptInfo {
  /** The chat template the prompt was rendered with. */
  readonly template: string;
  readonly promptText: string;
}

export async function planOutput(
  request: ChatCompletionRequest,
  model: LoadedModel,
  prompt: PromptInfo,
): Promise<OutputPlan> {
  const tools = toolRequest(request);
  const format = tools && tools.mode !== 'none' ? toolFormatFor(prompt.template) : null;
  const reasoning = reasoningSetup(prompt.template, prompt.promptText);
  const constraint =
    (tools && format ? toolCallConstraint(tools, format) : null) ?? requestConstraint(request);
  if (constraint && request.use_beam_search) {
    throw new ApiError(400, 'Structured outputs and forced tool calls cannot be combined with beam search.', {
      param: 'use_beam_search',
      code: 'unsupported_parameter',
    });
  }
  return {
    startGrammar: constraint ? await grammarStarter(model, constraint, reasoning) : null,
    parser: reasoning || format ? { reasoning, toolFormat: format, maxCalls: maxCalls(tools) } : null,
    skipSpecialTokens: keepSpecialTokens(request, model.tokenizer, format, reasoning) ? false : null,
    includeReasoning: request.include_reasoning !== false,
    legacyFunctionCall: tools?.legacy === true,
  };
}

async function grammarStarter(
  model: LoadedModel,
  constraint: Constraint,
  reasoning: ReasoningSetup | null,
): Promise<() => Promise<GrammarConstraint>> {
  const vocabSize = model.runtime.model.vocabSize;
  const grammars = await ModelGrammars.of({
    tokenizer: model.tokenizer,
    vocabSize,
    stopTokenIds: [...model.eosTokenIds],
  });
  const compiled = await grammars.compile({
    ...constraint,
    format: afterReasoning(constraint.format, reasoning),
  });
  return () => grammars.start(compiled);
}

function maxCalls(tools: ToolRequest | null): number {
  return tools?.parallel ? Number.POSITIVE_INFINITY : 1;
}

/** Markers that are special tokens vanish from the text unless special tokens are kept (vLLM does the same). */
function keepSpecialTokens(
  request: ChatCompletionRequest,
  tokenizer: TextTokenizer,
  format: ToolCallFormat | null,
  reasoning: ReasoningSetup | null,
): boolean {
  if (request.skip_special_tokens != null) return false;
  const markers = [...(format?.markers ?? []), ...(reasoning ? [THINK_TAGS.open, THINK_TAGS.close] : [])];
  return markers.some((marker) => {
    const id = tokenizer.idOf(marker);
    return id !== undefined && tokenizer.isSpecial(id);
  });
}
