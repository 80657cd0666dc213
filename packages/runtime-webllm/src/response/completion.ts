/**
 * A non-streaming request: one WebLLM call per choice, each after `resetChat()` (so its prompt is
 * prefilled and counted whole: WebLLM counts only the new tokens when it reuses the KV cache of the
 * previous turn), rebuilt in our shape: our id and `created` (seconds), OpenAI finish reasons,
 * usage with our detail fields (prompt counted once, completion summed), fixed-up logprobs.
 */
import type { ChatCompletion, ChatCompletionChoice, CompletionHead } from '@cinder/protocol';
import { buildChatCompletion, buildChoice, buildMessage, buildUsage } from '@cinder/protocol';
import { toApiError } from '../errors.ts';
import type { WebLlmPlan } from '../request/map-request.ts';
import type { WebLlmCompletion, WebLlmEngineLike } from '../webllm-types.ts';
import { abortReason, mapFinishReason } from './finish.ts';
import { choiceLogprobs } from './logprobs.ts';

export async function runCompletion(
  engine: WebLlmEngineLike,
  plan: WebLlmPlan,
  head: CompletionHead,
  signal?: AbortSignal,
): Promise<ChatCompletion> {
  const choices: ChatCompletionChoice[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  for (let index = 0; index < plan.n; index++) {
    const result = await completeOne(engine, plan, index, signal);
    const choice = result.choices[0];
    const finish = mapFinishReason(choice?.finish_reason, signal);
    const logprobs = plan.logprobs
      ? choiceLogprobs(choice.logprobs?.content ?? [], plan.topLogprobs, finish)
      : null;
    choices.push(
      buildChoice(index, buildMessage({ content: choice.message.content ?? '' }), finish, { logprobs }),
    );
    if (index === 0) promptTokens = result.usage?.prompt_tokens ?? 0;
    completionTokens += result.usage?.completion_tokens ?? 0;
  }
  return buildChatCompletion(head, choices, buildUsage({ promptTokens, completionTokens }));
}

async function completeOne(
  engine: WebLlmEngineLike,
  plan: WebLlmPlan,
  index: number,
  signal: AbortSignal | undefined,
): Promise<WebLlmCompletion> {
  if (signal?.aborted) throw abortReason(signal);
  const onAbort = () => void engine.interruptGenerate();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await engine.resetChat();
    const result = await engine.chatCompletion(plan.choiceRequest(index, false));
    if (!isCompletion(result))
      throw new Error('InternalError: WebLLM returned a stream for a non-streaming request.');
    return result;
  } catch (cause) {
    if (signal?.aborted) throw abortReason(signal);
    throw toApiError(cause);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function isCompletion(value: unknown): value is WebLlmCompletion {
  return typeof value === 'object' && value !== null && 'choices' in value;
}
