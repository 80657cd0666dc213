/**
 * Request messages -> prompt token ids: the model's chat template (or the request's), rendered
 * with tools, documents and template kwargs, then tokenized; `truncate_prompt_tokens` applied.
 */
import type { ChatCompletionRequest, ToolDefinition } from '@cinder/protocol';
import { ApiError } from '@cinder/protocol';
import type { LoadedModel } from '../model/load-model.ts';
import { reasoningTemplateKwargs } from '../reasoning/reasoning-setup.ts';
import {
  type ChatMessageInput,
  renderChatTemplate,
  resolveChatTemplate,
  TemplateError,
} from '../text/index.ts';

export interface RenderedPrompt {
  readonly text: string;
  readonly ids: number[];
  /** The chat template used (it also tells how the model writes tool calls and whether it thinks). */
  readonly template: string;
}

const TEXT_PARTS = new Set(['text', 'refusal']);

export function renderPrompt(
  request: ChatCompletionRequest,
  model: LoadedModel,
  contextLength: number,
): RenderedPrompt {
  rejectNonTextContent(request);
  const continueFinal = request.continue_final_message ?? false;
  let text: string;
  let template: string;
  try {
    template = resolveChatTemplate(model.chatTemplate, {
      override: request.chat_template,
      hasTools: toolsOf(request) !== null,
    });
    text = renderChatTemplate(template, {
      messages: templateMessages(request),
      tools: toolsOf(request),
      documents: request.documents ?? null,
      addGenerationPrompt: request.add_generation_prompt ?? !continueFinal,
      continueFinalMessage: continueFinal,
      // reasoning_effort as the template's own switch (enable_thinking, ...); explicit kwargs win.
      templateKwargs: {
        ...reasoningTemplateKwargs(request.reasoning_effort, template),
        ...(request.chat_template_kwargs ?? {}),
      },
      specialTokens: model.tokenizer.specialTokens,
    });
  } catch (cause) {
    if (cause instanceof TemplateError) {
      const param = request.chat_template ? 'chat_template' : 'messages';
      throw new ApiError(400, `The chat template could not render these messages: ${cause.message}`, {
        param,
        code: 'chat_template_error',
      });
    }
    throw cause;
  }
  const ids = model.tokenizer.encode(text, { addSpecialTokens: request.add_special_tokens ?? false });
  return { text, ids: truncate(ids, request, contextLength), template };
}

/** `tools`, or the deprecated `functions` as the tools they name. */
function toolsOf(request: ChatCompletionRequest): ToolDefinition[] | null {
  if (request.tools && request.tools.length > 0) return request.tools;
  if (request.functions && request.functions.length > 0) {
    return request.functions.map((fn) => ({ type: 'function', function: fn }));
  }
  return null;
}

/**
 * OpenAI roles the model's template may not know: `developer` is the newer name of `system`, and the
 * deprecated `function` message is a tool result. Templates of open models only know the older forms.
 */
function templateMessages(request: ChatCompletionRequest): ChatMessageInput[] {
  return request.messages.map((message) => {
    if (message.role === 'developer') return { ...message, role: 'system' };
    if (message.role === 'function') return { ...message, role: 'tool' };
    return message as ChatMessageInput;
  });
}

function rejectNonTextContent(request: ChatCompletionRequest): void {
  request.messages.forEach((message, i) => {
    if (!Array.isArray(message.content)) return;
    message.content.forEach((part, j) => {
      if (!TEXT_PARTS.has(part.type)) {
        throw new ApiError(
          400,
          `This model accepts text only; content parts of type '${part.type}' are not supported.`,
          {
            param: `messages[${i}].content[${j}]`,
            code: 'unsupported_content_type',
          },
        );
      }
    });
  });
}

/** vLLM `truncate_prompt_tokens`: keep the last k tokens (or the first k with truncation_side 'right'); -1 = the context length. */
function truncate(ids: number[], request: ChatCompletionRequest, contextLength: number): number[] {
  const setting = request.truncate_prompt_tokens;
  if (setting === undefined || setting === null || setting === 0) return ids;
  const keep = setting === -1 ? contextLength : setting;
  if (ids.length <= keep) return ids;
  return request.truncation_side === 'right' ? ids.slice(0, keep) : ids.slice(ids.length - keep);
}
