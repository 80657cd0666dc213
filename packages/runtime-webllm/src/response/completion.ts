/**
 * A non-streaming request: one WebLLM call per choice, each after `resetChat()` (so its prompt is
 * prefilled and counted whole: WebLLM counts only the new tokens when it reuses the KV cache of the
 * previous turn), rebuilt in our shape: our id and `created` (seconds), OpenAI finish reasons,
 * usage with our detail fields (prompt counted once, completion summed), fixed-up logprobs.
 *
 * A thinking model's text is split into reasoning and content (reasoning/choice-reasoning.ts). Its
 * reasoning tokens are counted per token, which WebLLM's non-streaming answer cannot give without
 * logprobs: such a choice is generated through WebLLM's stream (one chunk per token) and collected.
 */
import type { ChatCompletion, ChatCompletionChoice, CompletionHead } from '@cinder/protocol';
import { buildChatCompletion, buildChoice, buildMessage, buildUsage } from '@cinder/protocol';
import { toApiError } from '../errors.ts';
import { ChoiceReasoning } from '../reasoning/choice-reasoning.ts';
import type { WebLlmPlan } from '../request/map-request.ts';
import type { WebLlmChunk, WebLlmCompletion, WebLlmEngineLike, WebLlmTokenLogprob } from '../webllm-types.ts';
import { abortReason, mapFinishReason } from './finish.ts';
import { choiceLogprobs } from './logprobs.ts';

/** What one WebLLM generation returned. */
interface OneChoice {
  readonly text: string;
  readonly finishReason: string | null | undefined;
  readonly logprobs: readonly WebLlmTokenLogprob[];
  readonly promptTokens: number;
  readonly completionTokens: number;
  /** The text of each generated token, when known (stream chunks or logprob entries). */
  readonly tokenTexts: readonly string[];
}

export async function runCompletion(
  engine: WebLlmEngineLike,
  plan: WebLlmPlan,
  head: CompletionHead,
  signal?: AbortSignal,
): Promise<ChatCompletion> {
  const choices: ChatCompletionChoice[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  let reasoningTokens = 0;
  for (let index = 0; index < plan.n; index++) {
    const one = await completeOne(engine, plan, index, signal);
    const finish = mapFinishReason(one.finishReason, signal);
    const logprobs = plan.logprobs ? choiceLogprobs(one.logprobs, plan.topLogprobs, finish) : null;
    let message = buildMessage({ content: one.text });
    if (plan.reasoning) {
      const reader = new ChoiceReasoning(plan.reasoning);
      for (const text of one.tokenTexts) reader.countToken(text);
      const { reasoning, content } = reader.read(one.text);
      reasoningTokens += reader.reasoningTokens;
      message = buildMessage({
        content,
        reasoning_content: reasoning || null,
        reasoning: reasoning || null,
      });
    }
    choices.push(buildChoice(index, message, finish, { logprobs }));
    if (index === 0) promptTokens = one.promptTokens;
    completionTokens += one.completionTokens;
  }
  return buildChatCompletion(head, choices, buildUsage({ promptTokens, completionTokens, reasoningTokens }));
}

async function completeOne(
  engine: WebLlmEngineLike,
  plan: WebLlmPlan,
  index: number,
  signal: AbortSignal | undefined,
): Promise<OneChoice> {
  if (signal?.aborted) throw abortReason(signal);
  const onAbort = () => void engine.interruptGenerate();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await engine.resetChat();
    if (plan.reasoning && !plan.logprobs) return await collectStream(engine, plan, index);
    const result = await engine.chatCompletion(plan.choiceRequest(index, false));
    if (!isCompletion(result))
      throw new Error('InternalError: WebLLM returned a stream for a non-streaming request.');
    const choice = result.choices[0];
    const entries = choice?.logprobs?.content ?? [];
    return {
      text: choice?.message.content ?? '',
      finishReason: choice?.finish_reason,
      logprobs: entries,
      promptTokens: result.usage?.prompt_tokens ?? 0,
      completionTokens: result.usage?.completion_tokens ?? 0,
      tokenTexts: entries.map((entry) => entry.token),
    };
  } catch (cause) {
    if (signal?.aborted) throw abortReason(signal);
    throw toApiError(cause);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** One choice through WebLLM's stream: a text per token, then the final message from getMessage(). */
async function collectStream(engine: WebLlmEngineLike, plan: WebLlmPlan, index: number): Promise<OneChoice> {
  const result = await engine.chatCompletion(plan.choiceRequest(index, true));
  if (!isAsyncIterable(result)) throw new Error('InternalError: WebLLM returned a completion for a stream.');
  const tokenTexts: string[] = [];
  let finishReason: string | null | undefined;
  let usage: WebLlmChunk['usage'];
  // for-await returns WebLLM's iterator (releasing its lock) when the loop is left by a throw.
  for await (const chunk of result) {
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    if (choice.finish_reason) finishReason = choice.finish_reason;
    else tokenTexts.push(choice.delta.content ?? '');
  }
  return {
    text: await engine.getMessage(plan.request.model),
    finishReason,
    logprobs: [],
    promptTokens: usage?.prompt_tokens ?? 0,
    completionTokens: usage?.completion_tokens ?? 0,
    tokenTexts,
  };
}

function isCompletion(value: unknown): value is WebLlmCompletion {
  return typeof value === 'object' && value !== null && 'choices' in value;
}

export function isAsyncIterable(value: unknown): value is AsyncIterable<WebLlmChunk> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
